"""Every stage, in order: spool → parse → screen → thread → classify → case → draft.

`process` takes one spooled message through the stages inside the caller's transaction; `run`
claims pending spool entries and processes each in its own transaction, quarantining an entry
whose processing raises (with the stage and the exception class) and going on with the rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot import mailboxes
from privbot.cases import breach, identity, lifecycle
from privbot.cases.store import add_message, audit, make_draft, open_case
from privbot.cases.third_party import on_behalf
from privbot.chat import requests
from privbot.classify.intents import IntentSet, load_intents
from privbot.classify.match import classify_prepared
from privbot.classify.result import Classification, Kind
from privbot.config import Config
from privbot.db import claimable, session_scope
from privbot.errors import ParseError
from privbot.mail import bounces
from privbot.mail.parse import ParsedMail, parse
from privbot.mail.prepare import prepare
from privbot.mail.receipt import queue_receipt
from privbot.mail.thread import base_subject, find_case
from privbot.models import Case, Channel, Message, SpoolEntry, SpoolState, Status, utcnow
from privbot.replies import Replies

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Context:
    config: Config
    intents: IntentSet
    replies: Replies

    @classmethod
    def load(cls, config: Config) -> Context:
        """Load and validate the data files; a bad one raises ConfigError naming it."""
        return cls(config, load_intents(config.intents_dir), mailboxes.load_replies(config))


class Result(StrEnum):
    opened = "opened"
    threaded = "threaded"
    screened = "screened"
    quarantined = "quarantined"


def _staff_domains(config: Config) -> frozenset[str]:
    return frozenset(a.rpartition("@")[2] for a in (*config.addresses, config.from_address))


def _finish(
    entry: SpoolEntry,
    state: SpoolState,
    stage: str = "",
    reason: str = "",
    case_id: int | None = None,
) -> None:
    entry.state = state
    entry.stage = stage
    entry.reason = reason[:500]
    entry.case_id = case_id
    entry.processed_at = utcnow()


def _chat_request(session: Session, entry: SpoolEntry, ctx: Context) -> Result:
    """A request confirmed in the chat: a case for the confirmed address, without mail parsing."""
    try:
        request = requests.read_entry(entry.raw)
    except (ValueError, KeyError, TypeError) as exc:
        _finish(entry, SpoolState.quarantined, "chat", "unreadable chat request (%s)" % exc)
        return Result.quarantined
    language = request.language if request.language in ("sv", "en") else "sv"
    result = Classification(Kind.human, language, request.intents, 1.0)  # the person confirmed them
    received = entry.received_at
    case = open_case(
        session,
        ctx.config,
        request.email,
        request.name,
        result,
        received,
        channel=Channel.chat,
        mailbox=mailboxes.for_message(ctx.config, entry.mailbox, None).key,
    )
    message = Message(
        case_id=case.id or 0,
        spool_id=entry.id,
        direction="in",
        message_id=request.message_id,
        subject=request.subject,
        from_addr=request.email,
        from_name=request.name,
        at=received,
        text=request.text,
        classification=result.as_json(),
    )
    session.add(message)
    if on_behalf(request.text):
        case.third_party = True
        audit(session, case, "third_party_flagged")
    identity.on_new_case(session, case)
    make_draft(session, case, ctx.config, ctx.replies, subject=request.subject)
    queue_receipt(session, ctx.config, ctx.replies, case, request.subject, request.message_id)
    requests.link_case(session, request.request_id, case)
    _finish(entry, SpoolState.done, case_id=case.id)
    return Result.opened


def process(session: Session, entry: SpoolEntry, ctx: Context) -> Result:
    if entry.source == "chat":  # structured, never read as mail
        return _chat_request(session, entry, ctx)
    try:
        mail = parse(entry.raw)
    except ParseError as exc:
        _finish(entry, SpoolState.quarantined, "parse", str(exc))
        return Result.quarantined
    # New text apart from quotes; a configured form relay or a staff forward names the requester.
    prepared = prepare(mail, ctx.config.form_senders, _staff_domains(ctx.config))
    result = classify_prepared(
        mail, prepared, ctx.intents, (*ctx.config.addresses, ctx.config.from_address)
    )
    if result.kind is not Kind.human:
        reason = "%s: %s" % (result.kind.value, "; ".join(result.reasons))
        if result.kind is Kind.bounce:  # a report about privbot's own mail acts on it
            reason = bounces.handle_report(session, entry.raw) or reason
        _finish(entry, SpoolState.screened, "screen", reason)
        return Result.screened
    received = entry.received_at
    match = find_case(session, mail)
    if match is not None and match.trusted:
        return _follow_up(session, entry, ctx, match.case, mail, result, received)
    if match is None:
        first = _resent(session, ctx.config, mail, received)
        if first is not None:
            return _follow_up(session, entry, ctx, first, mail, result, received, resend=True)
    # prepare() chose the requester: a form relay's name field, a forwarded sender, or From.
    # A relay's own display name ("IT-team webbformulär") never stands in for a missing name.
    requester = (
        (prepared.requester_addr, prepared.requester_name)
        if prepared.requester_addr
        else (mail.from_addr, mail.from_name)
    )
    box = mailboxes.for_message(ctx.config, entry.mailbox, mail)
    case = open_case(
        session, ctx.config, requester[0], requester[1], result, received, mailbox=box.key
    )
    message = add_message(session, case, mail, entry.id, result, received)
    if match is not None:  # a known case's reference or thread from someone else: staff decide
        _sender_differs(session, case, message, match.case)
    if on_behalf(
        prepared.new_text
    ):  # a parent, a representative, an employer: the draft asks for the mandate
        case.third_party = True
        audit(session, case, "third_party_flagged")
    identity.on_new_case(session, case)
    if breach.is_breach(case):  # 72 hours from receipt; supervisors alerted at once
        breach.start_clock(session, ctx.config, ctx.replies, case)
    make_draft(session, case, ctx.config, ctx.replies, subject=mail.subject)
    queue_receipt(session, ctx.config, ctx.replies, case, mail.subject, mail.message_id)
    _finish(entry, SpoolState.done, case_id=case.id)
    return Result.opened


def _asks_for_something(result: Classification) -> bool:
    """A follow-up that names a right or asks a question; a "thanks" names none."""
    return any(intent != "other" for intent in result.intents)


def _follow_up(
    session: Session,
    entry: SpoolEntry,
    ctx: Context,
    case: Case,
    mail: ParsedMail,
    result: Classification,
    received: datetime,
    resend: bool = False,
) -> Result:
    """The requester's message joins their case. A closed case reopens only when the message
    asks for something; a resend of the same text is recorded as a duplicate and changes nothing
    else (no second case, no second receipt)."""
    add_message(session, case, mail, entry.id, result, received)
    if resend:
        audit(session, case, "duplicate_resend", spool=entry.id, message_id=mail.message_id[:200])
    else:
        audit(session, case, "message_threaded", spool=entry.id)
    asks, was_closed = _asks_for_something(result), case.status == Status.closed
    if was_closed and not asks:
        audit(session, case, "message_on_closed_case", spool=entry.id)
    elif was_closed or not resend:
        if lifecycle.reopen_on_follow_up(session, case, asks) and was_closed:
            audit(session, case, "case_reopened", spool=entry.id, intents=list(result.intents))
    case.updated_at = utcnow()
    session.add(case)
    if identity.confirm_from_mail(
        session, ctx.config, ctx.replies, case, mail.from_addr, mail.subject, mail.text
    ):
        log.info("identity for %s confirmed by a reply with the code", case.reference)
    _finish(entry, SpoolState.done, case_id=case.id)
    log.info("spool %s %s %s", entry.id, "resent to" if resend else "threaded into", case.reference)
    return Result.threaded


def _content_key(subject: str, text: str) -> str:
    return "%s\n%s" % (" ".join(base_subject(subject).split()), " ".join(text.split()))


def _resent(session: Session, config: Config, mail: ParsedMail, received: datetime) -> Case | None:
    """The case this sender already sent the same subject and text to, within the window."""
    if config.resend_window_days <= 0 or not mail.from_addr or not mail.text.strip():
        return None
    since = received - timedelta(days=config.resend_window_days)
    key = _content_key(mail.subject, mail.text)
    earlier = session.exec(
        select(Message)
        .where(
            Message.from_addr == mail.from_addr,
            Message.direction == "in",
            Message.at >= since,
        )
        .order_by(col(Message.id))
        .limit(200)
    ).all()
    for message in earlier:
        if _content_key(message.subject, message.text) == key:
            case = session.get(Case, message.case_id)
            if case is not None and case.purged_at is None:
                return case
    return None


def _sender_differs(session: Session, case: Case, message: Message, claimed: Case) -> None:
    """Warn staff on both cases: the new one came from someone who is not the requester."""
    warning = "sender differs from the requester of %s" % claimed.reference
    message.classification = {**message.classification, "warning": warning}
    case.needs_review = True
    session.add_all([message, case])
    audit(session, case, "sender_differs", claimed=claimed.reference)
    audit(session, claimed, "foreign_message", new_case=case.reference, spool=message.spool_id)
    log.warning(
        "spool %s names %s from another sender: opened %s",
        message.spool_id,
        claimed.reference,
        case.reference,
    )


def run(engine: Engine, ctx: Context, limit: int = 10_000, batch: int = 50) -> dict[str, int]:
    """Process pending spool entries, `batch` per transaction; returns counts per result.

    Each entry runs in a savepoint: one that raises is quarantined with its stage and exception
    class and the batch goes on. If the commit itself fails, the batch stays pending and is
    retried; processing is idempotent because an entry leaves `pending` in the same commit.
    """
    counts: dict[str, int] = {}
    done = 0
    while done < limit:
        with session_scope(engine) as session:
            query = (
                select(SpoolEntry)
                .where(SpoolEntry.state == SpoolState.pending)
                .order_by(col(SpoolEntry.id))
            )
            entries = session.exec(claimable(session, query.limit(min(batch, limit - done)))).all()
            if not entries:
                break
            for entry in entries:
                try:
                    with session.begin_nested():
                        outcome = process(session, entry, ctx)
                except Exception as exc:  # quarantine the entry, keep the loop going
                    log.error("spool %s failed in processing (%s)", entry.id, type(exc).__name__)
                    log.debug("processing failure of spool %s", entry.id, exc_info=True)
                    _finish(
                        entry,
                        SpoolState.quarantined,
                        "process",
                        "internal error: %s" % type(exc).__name__,
                    )
                    outcome = Result.quarantined
                session.add(entry)
                counts[outcome.value] = counts.get(outcome.value, 0) + 1
        done += len(entries)
    return counts
