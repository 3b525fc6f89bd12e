"""The `privbot` command: subcommands over the pipeline, the case store and the services.

The one place logging is configured and the process exit code is chosen. Errors privbot
expects (bad config, unknown case, a forbidden state change) print one line and exit 1–2.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlmodel import col, select

from privbot import logmask, pnr
from privbot.cases import outbox, store
from privbot.cases.audit import audit
from privbot.cases.breach import OPEN_BREACH_FIRST
from privbot.cases.deadline import Calendar, due_date
from privbot.classify.intents import load_intents
from privbot.classify.match import classify as classify_mail
from privbot.config import Config, data_path, load_config
from privbot.context import Context
from privbot.datadir import secure_home
from privbot.db import make_engine, session_scope
from privbot.errors import ConfigError, ParseError, PrivbotError
from privbot.mail.files import iter_messages
from privbot.mail.parse import parse
from privbot.mail.spool import record_oversized, spool
from privbot.models import Case, OutgoingMail, OutStatus, SpoolEntry, SpoolState
from privbot.pipeline import run

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="privbot: the privacy mailbox assistant.",
)
case_app = typer.Typer(no_args_is_help=True, help="One case.")
draft_app = typer.Typer(no_args_is_help=True, help="Approve or reject a case's draft.")
app.add_typer(case_app, name="case")
app.add_typer(draft_app, name="draft")
log = logging.getLogger("privbot")


def _setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs peers per connection
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logmask.install()  # personnummer and addresses never reach a log line
    # imapclient logs the IMAP conversation at DEBUG: folder names, headers, addresses.
    logging.getLogger("imapclient").setLevel(logging.WARNING)


def _config() -> Config:
    config = load_config()
    secure_home(config.home)  # 0700, whatever the umask; its files 0600
    return config


def _emit(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, default=str))


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "status": case.status.value,
        "outcome": case.outcome.value if case.outcome else None,
        "intents": case.intents,
        "language": case.language,
        "channel": case.channel,
        "requester": case.requester_email,
        "received": case.received_at.isoformat(timespec="seconds"),
        "due": (case.extended_due or case.due).isoformat(),
        "needs_review": case.needs_review,
        "notify_by": case.notify_by.isoformat(timespec="minutes") if case.notify_by else None,
        "identity_verified": case.identity_verified,
    }


@app.command()
def ingest(paths: list[Path], verbose: bool = False) -> None:
    """Take .eml files, directories, maildirs or mbox files through the whole pipeline."""
    _setup_logging(verbose)
    config = _config()
    engine = make_engine(config.database_url)
    ctx = Context.load(config)
    started = time.perf_counter()
    new = dup = oversized = skipped = 0
    for item in iter_messages(paths, config.max_message_bytes):
        if item.skipped and item.skipped != "oversized":
            typer.echo("skipped %s: %s" % (item.name, item.skipped), err=True)
            skipped += 1
            continue
        with session_scope(engine) as session:
            if item.skipped:  # kept visible in `privbot quarantine`, without its bytes
                record_oversized(session, "", item.size, "file", Path(item.name).name)
                oversized += 1
                continue
            _, created = spool(session, item.raw, "file", Path(item.name).name)
        new += created
        dup += not created
    counts = run(engine, ctx, limit=10**9)
    sent = outbox.deliver(engine, config, limit=10**9)
    elapsed = time.perf_counter() - started
    summary = ", ".join("%s %d" % kv for kv in sorted(counts.items())) or "nothing to process"
    typer.echo(
        "spooled %d new (%d already known, %d oversized, %d skipped); %s; %d sent to the outbox; %.2f s"
        % (new, dup, oversized, skipped, summary, sent, elapsed)
    )


@app.command("classify")
def classify_cmd(
    paths: list[Path], as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Classify messages without storing anything."""
    config = _config()
    ruleset = load_intents(config.intents_dir)
    for item in iter_messages(paths, config.max_message_bytes):
        name, raw = item.name, item.raw
        if item.skipped:
            typer.echo("skipped %s: %s" % (name, item.skipped), err=True)
            continue
        try:
            mail = parse(raw)
        except ParseError as exc:
            row: dict[str, Any] = {
                "file": name,
                "kind": "human",
                "language": "other",
                "intents": [],
                "confidence": 0.0,
                "evidence": [],
                "quarantined": str(exc),
            }
        else:
            row = {"file": name, **classify_mail(mail, ruleset, config.addresses).as_json()}
        if as_json:
            _emit(row)
        else:
            typer.echo(
                "%s: %s %s %s"
                % (Path(name).name, row["kind"], row["language"], ",".join(row["intents"]) or "-")
            )


@app.command()
def cases(as_json: Annotated[bool, typer.Option("--json")] = False, status: str = "") -> None:
    """List cases, nearest deadline first."""
    config = _config()
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        query = select(Case).order_by(OPEN_BREACH_FIRST, col(Case.due), col(Case.id))
        if status:
            query = query.where(Case.status == status)
        rows = [case_summary(c) for c in session.exec(query).all()]
    for r in rows:  # lists show no personnummer (the case page does, audited)
        r["requester"] = pnr.mask(r["requester"])
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        typer.echo(
            "%s  %-18s due %s  %-6s %s"
            % (r["reference"], r["status"], r["due"], r["language"], ",".join(r["intents"]))
        )


@case_app.command("show")
def case_show(reference: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """A case, its messages and its current draft."""
    config = _config()
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        case = store.get_case(session, reference)
        audit(session, case, "case_viewed", actor="cli")
        draft = store.current_draft(session, case)
        data = case_summary(case)
        data["messages"] = [
            {
                "direction": m.direction,
                "message_id": m.message_id,
                "from": m.from_addr,
                "to": m.to_addr,
                "subject": m.subject,
                "at": m.at.isoformat(timespec="seconds"),
                "text": m.text,
                "attachments": m.attachments,
                "classification": m.classification,
            }
            for m in store.thread_messages(session, case)
        ]
        data["draft"] = (
            {
                "id": draft.id,
                "subject": draft.subject,
                "text": draft.body,
                "notes": draft.notes.splitlines(),
                "template": draft.template,
            }
            if draft
            else None
        )
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str))
        return
    typer.echo(
        "%s  %s  due %s  %s"
        % (data["reference"], data["status"], data["due"], ",".join(data["intents"]))
    )
    for m in data["messages"]:
        typer.echo("\n--- %s %s %s\n%s" % (m["direction"], m["at"], m["subject"], m["text"][:2000]))
    if data["draft"]:
        for note in data["draft"]["notes"]:
            typer.echo("\n[note for staff, never sent] %s" % note)
        typer.echo("\n=== draft: %s\n%s" % (data["draft"]["subject"], data["draft"]["text"]))


def _staff(session: Any, name: str) -> str:
    """The name of an existing, active user: who acts in the CLI is on record like on the web."""
    from privbot.models import User

    user = session.exec(select(User).where(User.name == name.strip())).first()
    if user is None or not user.active:
        raise PrivbotError(
            "--as %s: no active user of that name (see `privbot users list`)" % name.strip()
        )
    return str(user.name)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PrivbotError("cannot read %s (%s)" % (path, exc)) from None


@draft_app.command("edit")
def draft_edit(
    reference: str,
    as_: Annotated[str, typer.Option("--as", help="who edits (an active user)")],
    text_file: Annotated[Path, typer.Option("--text-file", help="the edited reply text")],
    subject: Annotated[str, typer.Option(help="a new subject")] = "",
) -> None:
    """Save an edited text for the current draft without approving it."""
    from privbot.cases.actions import save_draft

    config = _config()
    engine = make_engine(config.database_url)
    text = _read_text(text_file)
    with session_scope(engine) as session:
        actor = _staff(session, as_)
        case = store.get_case(session, reference)
        draft = store.current_draft(session, case)
        save_draft(session, case, actor, subject or (draft.subject if draft else ""), text)
    typer.echo("saved the draft of %s" % reference.upper())


@case_app.command("allow-sender")
def case_allow_sender(
    reference: str,
    address: str,
    as_: Annotated[str, typer.Option("--as", help="who decides")],
) -> None:
    """Let mail from ADDRESS join the case like the requester's own (another address of theirs)."""
    from privbot.cases.actions import allow_sender

    config = _config()
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        actor = _staff(session, as_)
        allow_sender(session, store.get_case(session, reference), actor, address)
    typer.echo("mail from %s now joins %s" % (address.strip().lower(), reference.upper()))


@draft_app.command("approve")
def draft_approve(
    reference: str,
    as_: Annotated[str, typer.Option("--as", help="who approves (an active user)")],
    text_file: Annotated[
        Path | None, typer.Option("--text-file", help="the edited reply text")
    ] = None,
) -> None:
    """Approve the current draft (optionally replacing its text) and send it."""
    config = _config()
    engine = make_engine(config.database_url)
    text = _read_text(text_file) if text_file else None
    with session_scope(engine) as session:
        actor = _staff(session, as_)
        out = store.approve(session, config, store.get_case(session, reference), actor, text)
        session.flush()
        out_id = out.id
    sent = outbox.deliver(engine, config)
    with session_scope(engine) as session:
        row = session.get(OutgoingMail, out_id)
        status, error = (row.status, row.last_error) if row else (OutStatus.queued, "")
    if status == OutStatus.sent:
        typer.echo("approved %s; %d message(s) sent" % (reference.upper(), sent))
        return
    if status in (OutStatus.queued, OutStatus.failed):
        typer.echo(
            "approved %s; the reply waits in the outbox and is retried%s"
            % (reference.upper(), " (%s)" % error if error else "")
        )
        return
    typer.echo(
        "approved %s, but the reply was not sent (%s): %s" % (reference.upper(), status, error),
        err=True,
    )
    raise typer.Exit(1)


@draft_app.command("reject")
def draft_reject(
    reference: str,
    as_: Annotated[str, typer.Option("--as", help="who rejects (an active user)")],
    reason: str = "rejected by staff",
) -> None:
    """Reject the current draft with a reason."""
    config = _config()
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        store.reject(session, store.get_case(session, reference), _staff(session, as_), reason)
    typer.echo("rejected the draft of %s" % reference.upper())


@app.command()
def quarantine(
    as_json: Annotated[bool, typer.Option("--json")] = False, screened: bool = False
) -> None:
    """Messages that opened no case: quarantined (and with --screened, auto-replies and bounces)."""
    config = _config()
    engine = make_engine(config.database_url)
    states = [SpoolState.quarantined] + ([SpoolState.screened] if screened else [])
    with session_scope(engine) as session:
        rows = [
            {
                "spool_id": e.id,
                "state": e.state.value,
                "stage": e.stage,
                "reason": pnr.mask(e.reason),
                "source": e.source,
                "source_ref": e.source_ref,
                "size": e.size,
                "received": e.received_at.isoformat(timespec="seconds"),
            }
            for e in session.exec(
                select(SpoolEntry)
                .where(col(SpoolEntry.state).in_(states))
                .order_by(col(SpoolEntry.id))
            ).all()
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        typer.echo(
            "#%s %s [%s] %s (%s)"
            % (r["spool_id"], r["state"], r["stage"], r["reason"], r["source_ref"])
        )


@app.command()
def deadline(received: str, extended: bool = False) -> None:
    """Print the statutory due date (ISO) for a request received on YYYY-MM-DD."""
    config = _config()
    day = date.fromisoformat(received)
    typer.echo(
        due_date(
            day,
            months=3 if extended else 1,
            cal=Calendar(eves_are_holidays=config.eves_are_holidays),
        ).isoformat()
    )


@app.command()
def poll(
    once: Annotated[
        bool, typer.Option("--once", help="one cycle, then exit (0 on success)")
    ] = False,
    process: Annotated[
        bool,
        typer.Option(
            help="run the pipeline before moving mail, so quarantined mail is moved to the quarantine folder"
        ),
    ] = True,
    retry_for: Annotated[
        float, typer.Option(help="with --once: seconds to keep retrying a lost connection")
    ] = 30.0,
    mailbox: Annotated[
        str, typer.Option(help="the [[mailbox]] whose IMAP account to poll (when several have one)")
    ] = "",
    verbose: bool = False,
) -> None:
    """Take new mail from the IMAP folder into the spool (and the pipeline), then move or flag it."""
    _setup_logging(verbose)
    # --once runs from cron, which mails whatever a job prints: one INFO summary line, warnings
    # and errors always, the stages' per-case lines only with --verbose.
    summary_log = logging.getLogger("privbot.poll")
    if once and not verbose:
        logging.getLogger("privbot").setLevel(logging.WARNING)
        summary_log.setLevel(logging.INFO)
    import signal
    import threading

    from privbot.mail.imap import Poller
    from privbot.mail.watch import Watcher, poll_once

    config = _config()
    polled = [b for b in config.mailboxes if b.imap is not None and mailbox in ("", b.key)]
    if not polled:
        raise ConfigError(
            "no IMAP server: set imap.host in the config file or PRIVBOT_IMAP_HOST"
            if not mailbox
            else "mailbox %r has no IMAP account ([mailbox.imap] host)" % mailbox
        )
    if len(polled) > 1:
        raise ConfigError(
            "several mailboxes have an IMAP account: name one with --mailbox (%s)"
            % ", ".join(b.key for b in polled)
        )
    box = polled[0]
    assert box.imap is not None
    imap = box.imap
    engine = make_engine(config.database_url)
    hook = None
    sent = [0]
    if process:
        ctx = Context.load(config)

        def hook() -> dict[str, int]:
            counts = run(engine, ctx, limit=10**9)
            sent[0] += outbox.deliver(engine, config, limit=10**9)  # receipts and identity notices
            return counts

    poller = Poller(engine, imap, config.max_message_bytes, process=hook, mailbox=box.key)
    if not once:
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        try:
            Watcher(poller, stopping).run()
        except KeyboardInterrupt:
            pass
        finally:
            poller.close()
        return
    # No lease here: a cron job killed mid-cycle must not block the next one for the lease's
    # time, and a cycle beside a running poller stores nothing twice (the spool is idempotent).
    started = time.perf_counter()
    report = poll_once(poller, retry_for=retry_for)
    summary = (
        ", ".join("%s %d" % kv for kv in sorted(report.pipeline.items())) or "nothing processed"
    )
    summary_log.info(
        "imap %s: %d new, %d already known, %d oversized; %s; %d moved%s, %d quarantined, "
        "%d waiting; %d sent; %.2f s%s",
        imap.folder,
        report.new,
        report.known,
        report.oversized,
        summary,
        report.processed,
        " (flagged)" if imap.after == "flag" else "",
        report.quarantined,
        report.held,
        sent[0],
        time.perf_counter() - started,
        "; UIDVALIDITY changed, resynchronised" if report.resynced else "",
    )


@app.command()
def serve(
    smtp_port: Annotated[int | None, typer.Option(help="SMTP intake port")] = None,
    web_port: Annotated[int | None, typer.Option(help="web port")] = None,
    demo: Annotated[
        bool, typer.Option(help="ingest the shipped sample inquiries and make a demo sign-in")
    ] = False,
    verbose: bool = False,
) -> None:
    """Run everything in one process: SMTP intake, IMAP poller, pipeline, sender and web."""
    _setup_logging(verbose)
    from privbot.service import Service

    config = _config()
    service = Service(config, smtp_port=smtp_port, web_port=web_port)
    if demo:
        _demo(service.engine, service.config)
    service.run_forever()


@app.command()
def intake(
    smtp_port: Annotated[int | None, typer.Option(help="SMTP intake port")] = None,
    verbose: bool = False,
) -> None:
    """SMTP intake and the IMAP poller (while holding its lease) into the spool; no pipeline."""
    _run_role("intake", smtp_port=smtp_port, verbose=verbose)


@app.command()
def worker(verbose: bool = False) -> None:
    """The pipeline, the sender and the periodic jobs; no intake, no web."""
    _run_role("worker", verbose=verbose)


@app.command()
def web(
    web_port: Annotated[int | None, typer.Option(help="web port")] = None,
    verbose: bool = False,
) -> None:
    """The staff web app and the chat only."""
    _run_role("web", web_port=web_port, verbose=verbose)


def _run_role(
    role: str, smtp_port: int | None = None, web_port: int | None = None, verbose: bool = False
) -> None:
    _setup_logging(verbose)
    from privbot.service import Service

    Service(_config(), smtp_port=smtp_port, web_port=web_port, roles=(role,)).run_forever()


def _demo(engine: Any, config: Config) -> None:
    """Sample inquiries into the spool, and a supervisor `demo` with a fresh password, once."""
    import secrets

    from privbot.models import User
    from privbot.users import add_user

    for item in iter_messages([data_path("examples")], config.max_message_bytes):
        with session_scope(engine) as session:
            spool(session, item.raw, "file", Path(item.name).name)
    with session_scope(engine) as session:
        if session.exec(select(User).where(User.name == "demo")).first() is None:
            password = secrets.token_urlsafe(12)
            add_user(session, "demo", "supervisor", password)
            typer.echo(
                "demo sign-in at %s/ : user demo, password %s" % (config.base_url, password),
                err=True,
            )


users_app = typer.Typer(no_args_is_help=True, help="Staff accounts for the web app.")
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="staff, supervisor or admin")] = "staff",
    password_file: Annotated[
        Path | None, typer.Option(help="read the password from this file (first line)")
    ] = None,
    mailbox: Annotated[
        list[str] | None,
        typer.Option(help="limit the user to this [[mailbox]]'s cases (repeat for several)"),
    ] = None,
) -> None:
    """Add a user (or reset an existing user's role and password); prompts for the password."""
    from privbot.users import add_user, set_mailboxes

    password = _read_password(password_file)
    config = _config()
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        user = add_user(session, name, role, password)
        if mailbox or user.mailboxes:
            known = [box.key for box in config.mailboxes]
            set_mailboxes(session, user, list(mailbox or []), known, actor="cli")
        typer.echo(
            "user %s (%s) saved%s" % (user.name, user.role.value, _mailboxes_note(user.mailboxes))
        )


def _mailboxes_note(keys: list[str]) -> str:
    return "; mailboxes: %s" % ", ".join(keys) if keys else ""


@users_app.command("mailboxes")
def users_mailboxes(
    name: str,
    mailbox: Annotated[
        list[str] | None, typer.Argument(help="the mailboxes whose cases the user sees; none: all")
    ] = None,
) -> None:
    """Limit a user to some mailboxes' cases, or (with none named) let them see every mailbox."""
    from privbot.users import set_mailboxes

    known = [box.key for box in _config().mailboxes]
    _change_user(name, set_mailboxes, list(mailbox or []), known)
    typer.echo(
        "user %s sees %s"
        % (
            name.strip(),
            "the mailboxes " + ", ".join(sorted(mailbox)) if mailbox else "every mailbox",
        )
    )


def _read_password(password_file: Path | None) -> str:
    if password_file is None:
        return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))
    try:
        text = password_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PrivbotError("cannot read %s (%s)" % (password_file, exc)) from None
    return text.splitlines()[0] if text else ""


def _change_user(name: str, change: Any, *args: Any) -> None:
    """Apply one `privbot.users` change to the user NAME, audited as done from the CLI."""
    from privbot.users import find_user

    engine = make_engine(_config().database_url)
    with session_scope(engine) as session:
        change(session, find_user(session, name), *args, actor="cli")


@users_app.command("disable")
def users_disable(name: str) -> None:
    """Disable a user: no more sign-ins, and their open web sessions end now."""
    from privbot.users import disable

    _change_user(name, disable)
    typer.echo("user %s disabled; their sessions have ended" % name.strip())


@users_app.command("enable")
def users_enable(name: str) -> None:
    """Let a disabled user sign in again."""
    from privbot.users import enable

    _change_user(name, enable)
    typer.echo("user %s enabled" % name.strip())


@users_app.command("password")
def users_password(
    name: str,
    password_file: Annotated[
        Path | None, typer.Option(help="read the password from this file (first line)")
    ] = None,
) -> None:
    """Set a user's password; their open web sessions end."""
    from privbot.users import set_password

    _change_user(name, set_password, _read_password(password_file))
    typer.echo("password of %s changed; their sessions have ended" % name.strip())


@users_app.command("role")
def users_role(
    name: str, role: Annotated[str, typer.Argument(help="staff, supervisor or admin")]
) -> None:
    """Change a user's role (in force from their next request)."""
    from privbot.users import set_role

    _change_user(name, set_role, role)
    typer.echo("user %s is now %s" % (name.strip(), role))


@users_app.command("list")
def users_list() -> None:
    """List users and their roles."""
    from privbot.models import User

    config = _config()
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        for user in session.exec(select(User).order_by(col(User.name))).all():
            typer.echo(
                "%-20s %-10s %-8s %s"
                % (
                    user.name,
                    user.role.value,
                    "active" if user.active else "disabled",
                    ", ".join(user.mailboxes) or "all mailboxes",
                )
            )


def _replies(config: Config) -> Any:
    from privbot.mailboxes import load_replies

    return load_replies(config)


@app.command()
def verify(
    reference: str,
    code: Annotated[str, typer.Argument(help="the code the requester received")] = "",
    how: Annotated[
        str, typer.Option(help="record another method instead, e.g. 'in person, passport'")
    ] = "",
    as_: Annotated[
        str, typer.Option("--as", help="who records it (an active user; needed with --how)")
    ] = "",
    personnummer: Annotated[
        str,
        typer.Option(
            help="with --how: the personnummer that method proved is the requester's "
            "(earlier cases with the same verified number join the access reply)"
        ),
    ] = "",
    send_code: Annotated[
        bool,
        typer.Option("--send-code", help="send (another) one-time code to the address of record"),
    ] = False,
) -> None:
    """Confirm a requester's identity by their code, record another method, or send a code."""
    from privbot.cases import identity

    config = _config()
    engine = make_engine(config.database_url)
    replies = _replies(config)
    with session_scope(engine) as session:
        case = store.get_case(session, reference)
        if send_code:
            token = identity.send_code(session, config, replies, case)
            message = (
                "code sent for %s" % case.reference
                if token
                else "no code sent: the address looks automated"
            )
        elif how:
            actor = _staff(session, as_)  # a staff decision is on record in a user's name
            if personnummer:
                from privbot.cases.actions import record_personnummer

                record_personnummer(session, case, actor, personnummer)
            identity.mark_verified(session, config, replies, case, actor, how)
            message = "identity of %s recorded as verified" % case.reference
        elif code:
            ok = identity.confirm_code(
                session, config, replies, case, code, actor=_staff(session, as_) if as_ else "cli"
            )
            message = "identity of %s verified" % case.reference if ok else ""
        elif personnummer:
            raise PrivbotError("--personnummer needs --how: say how it was verified")
        else:
            raise PrivbotError("give the CODE, --how METHOD or --send-code")
    if not message:
        typer.echo(
            "privbot: the code does not match a live code of %s" % reference.upper(), err=True
        )
        raise typer.Exit(1)
    outbox.deliver(engine, config)
    typer.echo(message)


@app.command()
def refuse(
    reference: str,
    reason: Annotated[
        str,
        typer.Argument(help="manifestly_unfounded, excessive, identity_not_verified or no_match"),
    ],
    as_: Annotated[str, typer.Option("--as", help="who refuses (an active user)")],
) -> None:
    """Draft an art. 12(4) refusal with its reason; approving it closes the case as denied."""
    from privbot.cases.refusal import refuse as draft_refusal

    config = _config()
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        actor = _staff(session, as_)
        draft_refusal(
            session, config, _replies(config), store.get_case(session, reference), actor, reason
        )
    typer.echo("refusal drafted for %s" % reference.upper())


@app.command()
def remind(
    day: Annotated[str, typer.Option(help="the day (YYYY-MM-DD), default today")] = "",
) -> None:
    """Send identity reminders, close unverified cases, and send supervisors today's digest."""
    from privbot.cases.digest import send_digest, today_in_sweden
    from privbot.cases.identity import sweep

    _setup_logging()
    config = _config()
    engine = make_engine(config.database_url)
    replies = _replies(config)
    today = date.fromisoformat(day) if day else today_in_sweden()
    with session_scope(engine) as session:
        counts = sweep(session, config, replies)
        digest = send_digest(session, config, replies, today)
    sent = outbox.deliver(engine, config)
    if digest is None:
        summary = (
            "no digest (already sent for %s, or no supervisors configured)" % today.isoformat()
        )
    else:
        summary = "digest: %d overdue, %d due soon, to %d supervisor(s)" % (
            len(digest.overdue),
            len(digest.due_soon),
            len(config.supervisor_scopes()),
        )
    typer.echo(
        "identity: %d reminded, %d closed; %s; %d message(s) sent"
        % (counts["reminded"], counts["closed"], summary, sent)
    )


@app.command()
def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="show what would go, change nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Remove the personal data of cases closed longer ago than the retention period."""
    from privbot.retention import purge as run_purge

    _setup_logging()
    config = _config()
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        report = run_purge(session, config, dry_run=dry_run)
        if dry_run:
            session.rollback()
    if as_json:
        _emit(report.as_json())
        return
    verb = "would purge" if dry_run else "purged"
    typer.echo(
        "%s %d case(s) closed before %s (%d messages, %d drafts, %d outgoing, %d spool entries, %d audit events)"
        % (
            verb,
            len(report.cases),
            report.cutoff.date().isoformat(),
            report.messages,
            report.drafts,
            report.outgoing,
            report.spool_entries,
            report.audit_events,
        )
    )
    for reference in report.cases:
        typer.echo("  %s" % reference)


@app.command()
def register(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Anonymised counts of all cases (kept after purging): by year, intent and outcome."""
    from privbot.retention import register_counts

    config = _config()
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        counts = register_counts(session)
    if as_json:
        _emit(counts)
        return
    for year, row in sorted(counts.items()):
        typer.echo(
            "%s: %s cases; intents %s; outcomes %s"
            % (year, row["cases"], row["intents"], row["outcomes"])
        )


@app.command("chat")
def chat_cmd(
    lang: Annotated[str, typer.Option(help="language of the greeting: sv or en")] = "sv",
    verbose: bool = False,
) -> None:
    """Talk to the data subjects' chat in the terminal; end with Ctrl-D."""
    if verbose:
        _setup_logging(verbose)
    from privbot.chat.bot import ChatBot

    config = _config()
    engine = make_engine(config.database_url)
    ctx = Context.load(config)
    bot = ChatBot.load(config, engine, ctx)
    bot.on_spooled = lambda: run(engine, ctx)  # no worker here: open the case at once
    typer.echo(bot.welcome("en" if lang == "en" else "sv"))
    token: str | None = None
    while True:
        try:
            line = input("> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            break
        if not line.strip():
            continue
        reply = bot.handle(token, line, "terminal")
        token = reply.session_id
        typer.echo(reply.reply)
        if reply.mail_queued:
            outbox.deliver(engine, config)


def main() -> None:
    os.umask(0o077)  # whatever privbot writes (database, outbox, key) is for its own user only
    try:
        app()
    except PrivbotError as exc:
        typer.echo("privbot: %s" % exc, err=True)
        sys.exit(2)
