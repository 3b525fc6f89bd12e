"""Whole messages end to end through the real SMTP intake, the pipeline and the outbox."""

from __future__ import annotations

import json
import re
import smtplib
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from privbot.cases import outbox, store
from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.send import outbox_files
from privbot.mail.spool import spool
from privbot.models import Case, OutgoingMail, SpoolEntry, SpoolState, Status
from privbot.pipeline import Context, run
from privbot.service import Service
from tests.helpers import DATA, free_port

ERASURE_SV = """\
Hej,

jag vill att ni tar bort allt ni har sparat om mig. Jag har inget konto hos er
längre och vill inte finnas kvar i era system.

Tack på förhand
Lena Ström
"""


def mail(sender: str, subject: str, body: str, message_id: str, **headers: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Dataskydd <DataSkydd@IT-team.se>"
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg["Date"] = "Thu, 26 Nov 2026 10:00:00 +0100"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg


@pytest.fixture
def service(config: Config) -> Service:
    svc = Service(config, smtp_port=free_port(), interval=0.2)
    svc.start()
    yield svc
    svc.stop()


def wait_for(engine: Engine, predicate, timeout: float = 15.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Session(engine) as session:
            value = predicate(session)
            if value:
                return value
        time.sleep(0.1)
    raise AssertionError("condition not met within %.0f s" % timeout)


def send(port: int, msg: EmailMessage | bytes, to: str = "dataskydd@it-team.se") -> None:
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        if isinstance(msg, bytes):
            smtp.sendmail("sender@example.se", [to], msg)
        else:
            smtp.send_message(msg, to_addrs=[to])


def cases(session: Session) -> list[Case]:
    return list(session.exec(select(Case)).all())


def test_swedish_erasure_round_trip(service: Service, config: Config) -> None:
    engine, port = service.engine, service.intake.port
    first = mail(
        "Lena Ström <lena.strom@example.se>", "Radera mig", ERASURE_SV, "<req-1@example.se>"
    )
    send(port, first)
    case = wait_for(
        engine, lambda s: next((c for c in cases(s) if c.status == Status.awaiting_identity), None)
    )
    assert case.intents[0] == "erasure" and case.language == "sv"
    assert case.requester_email == "lena.strom@example.se"

    with session_scope(engine) as session:
        draft = store.current_draft(session, session.get(Case, case.id))
        assert draft is not None
        assert case.reference in draft.subject
        assert case.reference in draft.body
        assert str(case.due.day) in draft.body and "bokföring" in draft.body.lower()
        assert "bekräftelsekod" in draft.body  # erasure waits for the requester's identity

    # One automatic mail went out at once: the receipt, carrying the identity code.
    files = wait_for(engine, lambda s: outbox_files(config))
    assert len(files) == 1
    notice = receipt = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    for auto in (receipt,):  # it asks for a reply with the code: no Precedence: bulk
        assert auto["Auto-Submitted"] == "auto-replied" and auto["Precedence"] is None
        assert (
            auto["X-Auto-Response-Suppress"] == "All"
            and auto["In-Reply-To"] == "<req-1@example.se>"
        )
        assert case.reference in auto["Subject"]
    code = re.search(r"koden ([A-Z2-9]{4}-[A-Z2-9]{4})", notice.get_content()).group(1)

    # Replying to the notice (which quotes the code) verifies her; the reply draft is redone.
    quoted = "Det är jag.\n\n> " + "\n> ".join(notice.get_content().splitlines())
    confirm = mail(
        "lena.strom@example.se",
        "SV: " + str(notice["Subject"]),
        quoted,
        "<req-1b@example.se>",
        In_Reply_To=str(notice["Message-ID"]),
        References=str(notice["Message-ID"]),
    )
    send(port, confirm)
    wait_for(engine, lambda s: s.get(Case, case.id).status == Status.draft_ready)
    with Session(engine) as session:
        assert session.get(Case, case.id).identity_verified
        stored = b"".join(o.raw for o in session.exec(select(OutgoingMail)).all())
        assert (
            code.encode() not in stored
        )  # the sent notice's copy is blanked once the code is used

    # Approval puts an ordinary, threaded reply in the outbox.
    with session_scope(engine) as session:
        store.approve(session, config, session.get(Case, case.id), "anna")
    outbox.deliver(engine, config)  # the service's own sender may be handing it over already
    files = wait_for(engine, lambda s: len(outbox_files(config)) >= 2 and outbox_files(config))
    assert len(files) == 2
    reply = message_from_bytes(files[-1].read_bytes(), policy=policy.default)
    assert (
        reply["In-Reply-To"] == "<req-1b@example.se>"
        and "<req-1@example.se>" in reply["References"]
    )
    assert reply["Auto-Submitted"] is None and case.reference in reply["Subject"]
    assert reply["To"].addresses[0].addr_spec == "lena.strom@example.se"
    wait_for(engine, lambda s: s.get(Case, case.id).status == Status.sent)

    # The requester's answer to the reply joins the same case.
    answer = mail(
        "lena.strom@example.se",
        "SV: " + str(reply["Subject"]),
        "Tack, det går bra.",
        "<req-2@example.se>",
        In_Reply_To=str(reply["Message-ID"]),
        References=str(reply["Message-ID"]),
    )
    send(port, answer)
    wait_for(
        engine,
        lambda s: s.exec(
            select(SpoolEntry).where(
                SpoolEntry.message_id == "<req-2@example.se>", SpoolEntry.state == SpoolState.done
            )
        ).first(),
    )
    with Session(engine) as session:
        assert len(cases(session)) == 1
        assert (
            len(store.thread_messages(session, session.get(Case, case.id))) == 4
        )  # in, in (code), out, in
        assert session.get(Case, case.id).status == Status.in_progress


def test_out_of_office_opens_no_case_and_gets_no_answer(service: Service, config: Config) -> None:
    ooo = mail(
        "olof@example.se",
        "Frånvaro: Radera mig",
        "Jag är tjänstledig till 1 december och läser inte e-post.",
        "<ooo-1@example.se>",
        Auto_Submitted="auto-replied",
    )
    send(service.intake.port, ooo)
    entry = wait_for(
        service.engine,
        lambda s: s.exec(select(SpoolEntry).where(SpoolEntry.state == SpoolState.screened)).first(),
    )
    assert entry.reason.startswith("auto_reply")
    with Session(service.engine) as session:
        assert cases(session) == []
        assert session.exec(select(func.count()).select_from(OutgoingMail)).one() == 0


def test_duplicate_delivery_is_one_case(service: Service) -> None:
    msg = mail("Lena <lena@example.se>", "Radera", ERASURE_SV, "<dup-1@example.se>")
    send(service.intake.port, msg)
    raw = msg.as_bytes()
    send(
        service.intake.port,
        b"Received: from relay2.example.se by mx.example.se; Thu, 26 Nov 2026 10:01:00 +0100\r\n"
        + raw,
    )
    wait_for(service.engine, lambda s: cases(s))
    time.sleep(0.5)
    with Session(service.engine) as session:
        assert len(cases(session)) == 1
        assert session.exec(select(func.count()).select_from(SpoolEntry)).one() == 1


def test_broken_message_lands_in_quarantine(service: Service) -> None:
    send(service.intake.port, (DATA / "malformed" / "m021.eml").read_bytes())
    entry = wait_for(
        service.engine,
        lambda s: s.exec(
            select(SpoolEntry).where(SpoolEntry.state == SpoolState.quarantined)
        ).first(),
    )
    assert entry.stage == "parse" and "sender" in entry.reason
    assert entry.raw  # kept for staff


def test_every_malformed_message_ends_as_case_screened_or_quarantined(
    engine: Engine, ctx: Context
) -> None:
    manifest = [
        json.loads(line)
        for line in (DATA / "malformed" / "manifest.jsonl").read_text().splitlines()
        if line.strip()
    ]
    with session_scope(engine) as session:
        for item in manifest:
            spool(session, (DATA / "malformed" / item["file"]).read_bytes(), "file", item["file"])
    run(engine, ctx)
    expected = {
        "case": SpoolState.done,
        "no_case": SpoolState.screened,
        "quarantine": SpoolState.quarantined,
    }
    with Session(engine) as session:
        states = {e.source_ref: e.state for e in session.exec(select(SpoolEntry)).all()}
    wrong = {
        item["file"]: states[item["file"]]
        for item in manifest
        if states[item["file"]] != expected[item["expect"]]
    }
    assert wrong == {}
    assert len(states) == len(manifest)


def test_logs_hold_no_addresses(
    engine: Engine, ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    with session_scope(engine) as session:
        for path in sorted((DATA / "malformed").glob("m0[0-3]*.eml")):
            spool(session, path.read_bytes(), "file", path.name)
    run(engine, ctx)
    assert "@example" not in caplog.text


def test_english_request_gets_english_draft(engine: Engine, ctx: Context, config: Config) -> None:
    msg = mail(
        "Tom <tom@example.org>",
        "My data",
        "Hello,\n\nplease send me a copy of all personal data you hold about me.\n\nRegards,\nTom",
        "<en-1@example.org>",
    )
    with session_scope(engine) as session:
        spool(session, msg.as_bytes(), "file")
    run(engine, ctx)
    with Session(engine) as session:
        (case,) = cases(session)
        draft = store.current_draft(session, case)
        assert case.language == "en" and case.intents[0] == "access"
        assert draft is not None and case.reference in draft.body and "personal data" in draft.body


def test_a_request_that_mentions_a_holiday_opens_a_case_and_a_plain_one_does_not(
    engine: Engine, ctx: Context
) -> None:
    """The pipeline reads such mail as `classify` does: wording alone screens out no request."""
    asks = mail(
        "Vera Holm <vera.holm@example.net>",
        "Re: Ert svar",
        "Tack. Jag är på semester hela nästa vecka. Radera gärna mitt konto under tiden.\n\nVera",
        "<holiday-ask@example.net>",
    )
    away = mail(
        "Arne Lund <arne.lund@example.net>",
        "Hej",
        "Hej! Jag är på semester nästa vecka och läser inte min e-post förrän jag är tillbaka.",
        "<holiday-away@example.net>",
    )
    with session_scope(engine) as session:
        spool(session, asks.as_bytes(), "file")
        spool(session, away.as_bytes(), "file")
    assert run(engine, ctx) == {"opened": 1, "screened": 1}
    with Session(engine) as session:
        (case,) = cases(session)
        assert case.requester_email == "vera.holm@example.net"
        assert case.intents == ["erasure"] and case.needs_review
        screened = session.exec(
            select(SpoolEntry).where(SpoolEntry.state == SpoolState.screened)
        ).one()
        assert b"arne.lund" in screened.raw and screened.reason.startswith("auto_reply")


def test_cli_ingest_and_json_listing(tmp_path: Path, home: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PRIVBOT_HOME": str(home)}
    exe = [sys.executable, "-m", "privbot"]
    examples = Path(__file__).parents[1] / "examples"
    done = subprocess.run(
        [*exe, "ingest", str(examples)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    listed = json.loads(
        subprocess.run(
            [*exe, "cases", "--json"], env=env, capture_output=True, text=True, check=True
        ).stdout
    )
    assert {"reference", "status", "intents", "language", "requester", "received", "due"} <= set(
        listed[0]
    )
    assert len(listed) == 4  # the out-of-office example opens no case
    ref = listed[0]["reference"]
    shown = json.loads(
        subprocess.run(
            [*exe, "case", "show", ref, "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert shown["draft"]["subject"] and shown["messages"]
    bad = subprocess.run(
        [*exe, "case", "show", "DS-1999-0001"], env=env, capture_output=True, text=True
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "DS-1999-0001" in bad.stderr


def test_two_workers_on_one_sqlite_database_never_process_a_message_twice(
    config: Config, ctx: Context
) -> None:
    import threading

    from privbot.db import make_engine

    engines = [
        make_engine(config.database_url) for _ in range(2)
    ]  # two "processes": serve and a CLI ingest
    with session_scope(engines[0]) as session:
        for n in range(120):
            spool(
                session,
                mail(
                    "p%d@example.se" % n, "Radera", ERASURE_SV, "<w-%d@example.se>" % n
                ).as_bytes(),
                "file",
            )
    threads = [threading.Thread(target=run, args=(e, ctx), kwargs={"batch": 10}) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Session(engines[0]) as session:
        assert session.exec(select(func.count()).select_from(Case)).one() == 120
        assert (
            session.exec(
                select(func.count())
                .select_from(SpoolEntry)
                .where(SpoolEntry.state != SpoolState.done)
            ).one()
            == 0
        )
    for e in engines:
        e.dispose()


def test_a_resend_finds_a_message_stored_before_content_keys(engine: Engine, ctx: Context) -> None:
    """Messages written before migration 0015 have no content key: a resend of one is still
    found by reading its subject and text, and a different text still opens a case."""
    from sqlalchemy import update

    from privbot.models import AuditEvent, Message

    first = mail("Lena <lena@example.se>", "Radera", ERASURE_SV, "<k1@example.se>")
    with session_scope(engine) as session:
        spool(session, first.as_bytes(), "file")
    run(engine, ctx)
    with session_scope(engine) as session:
        session.exec(update(Message).values(content_key=None))  # type: ignore[call-overload]
    again = mail("Lena <lena@example.se>", "SV: Radera", "  " + ERASURE_SV, "<k2@example.se>")
    other = mail("Lena <lena@example.se>", "Radera", "Vad har ni om mig?", "<k3@example.se>")
    with session_scope(engine) as session:
        spool(session, again.as_bytes(), "file")
        spool(session, other.as_bytes(), "file")
    assert run(engine, ctx) == {"threaded": 1, "opened": 1}
    with Session(engine) as session:
        entries = session.exec(select(SpoolEntry).order_by(SpoolEntry.id)).all()
        assert entries[1].case_id == entries[0].case_id != entries[2].case_id
        resends = session.exec(
            select(AuditEvent).where(AuditEvent.action == "duplicate_resend")
        ).all()
        assert [e.case_id for e in resends] == [entries[0].case_id]
        keys = session.exec(select(Message.content_key).order_by(Message.id)).all()
        assert keys[0] is None and all(keys[1:])


def test_an_entry_that_raises_is_quarantined_and_its_batch_still_done(
    any_engine: tuple[Engine, Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch runs without savepoints; when an entry raises after writing (its case opened,
    its draft not yet made), the batch is done again with one savepoint per entry: that entry
    is quarantined with nothing of its work kept, and the others open their cases once."""
    from privbot.cases import from_mail
    from privbot.models import AuditEvent, Draft, Message

    engine, config = any_engine
    ctx = Context.load(config)
    first_draft = from_mail.first_draft

    def failing(session, cfg, replies, case, mail, *rest):  # type: ignore[no-untyped-def]
        if "Kalle" in mail.from_name:
            raise RuntimeError("draft failed")
        first_draft(session, cfg, replies, case, mail, *rest)

    monkeypatch.setattr(from_mail, "first_draft", failing)
    senders = ["Lena <lena@example.se>", "Kalle <kalle@example.se>", "Olle <olle@example.se>"]
    with session_scope(engine) as session:
        for i, sender in enumerate(senders):
            spool(
                session,
                mail(sender, "Radera", ERASURE_SV, "<f%d@example.se>" % i).as_bytes(),
                "file",
            )
    assert run(engine, ctx) == {"opened": 2, "quarantined": 1}
    with Session(engine) as session:
        entries = session.exec(select(SpoolEntry).order_by(SpoolEntry.id)).all()
        assert [e.state for e in entries] == [
            SpoolState.done,
            SpoolState.quarantined,
            SpoolState.done,
        ]
        assert (entries[1].stage, entries[1].reason) == ("process", "internal error: RuntimeError")
        opened = session.exec(select(Case).order_by(Case.id)).all()
        assert [c.requester_email for c in opened] == ["lena@example.se", "olle@example.se"]
        assert [entries[0].case_id, entries[2].case_id] == [c.id for c in opened]
        assert session.exec(select(func.count()).select_from(Message)).one() == 2
        assert session.exec(select(func.count()).select_from(Draft)).one() == 2
        events = session.exec(select(AuditEvent.case_id, AuditEvent.action)).all()
        assert {case_id for case_id, _ in events} == {c.id for c in opened}
        assert sum(action == "case_opened" for _, action in events) == 2
    assert run(engine, ctx) == {}  # nothing left pending


def test_messages_kept_back_in_a_batch_are_found_by_the_next_ones(
    any_engine: tuple[Engine, Config],
) -> None:
    """A batch writes its thread messages together at its end; a message later in the same
    batch still finds the earlier ones: a resend of a follow-up and a reply to it."""
    from privbot.models import AuditEvent, Message

    engine, config = any_engine
    ctx = Context.load(config)
    lena = "Lena <lena@example.se>"
    with session_scope(engine) as session:
        spool(session, mail(lena, "Radera", ERASURE_SV, "<k1@example.se>").as_bytes(), "file")
    assert run(engine, ctx) == {"opened": 1}
    follow_up = "Har ni hunnit radera mina uppgifter? Jag väntar fortfarande på svar."
    batch = [
        mail(lena, "Re: Radera", follow_up, "<k2@example.se>", In_Reply_To="<k1@example.se>"),
        mail(lena, "Re: Radera", follow_up, "<k3@example.se>"),  # the same text again
        mail(lena, "Tack", "Tack för svaret.", "<k4@example.se>", In_Reply_To="<k3@example.se>"),
    ]
    with session_scope(engine) as session:
        for msg in batch:
            spool(session, msg.as_bytes(), "file")
    assert run(engine, ctx) == {"threaded": 3}
    with Session(engine) as session:
        (case,) = cases(session)
        rows = session.exec(select(Message.case_id, Message.message_id).order_by(Message.id))
        assert list(rows) == [(case.id, "<k%d@example.se>" % n) for n in range(1, 5)]
        actions = session.exec(
            select(AuditEvent.action).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)
        ).all()
        assert actions[-3:] == ["message_threaded", "duplicate_resend", "message_threaded"]


def test_a_batch_finds_the_case_references_its_messages_name_as_one_query_each_would(
    any_engine: tuple[Engine, Config],
) -> None:
    """A batch looks up the case references its messages name in one query before it starts;
    a reference to a case opened earlier in the same batch is found as well, and only the
    requester may continue a case by a reference in the text."""
    from datetime import datetime

    engine, config = any_engine
    ctx = Context.load(config)
    prefix, year = config.default_mailbox.reference_prefix, datetime.now().year
    first, second = "%s-%d-0001" % (prefix, year), "%s-%d-0002" % (prefix, year)
    lena, olle = "Lena <lena@example.se>", "Olle <olle@example.se>"
    with session_scope(engine) as session:
        spool(session, mail(lena, "Radera", ERASURE_SV, "<r1@example.se>").as_bytes(), "file")
    assert run(engine, ctx) == {"opened": 1}
    question = "Har ni hunnit radera mina uppgifter? Jag väntar fortfarande på svar."
    batch = [
        mail(lena, "Ang. %s" % first, question, "<r2@example.se>"),  # stored before the batch
        mail(olle, "Radera", ERASURE_SV, "<r3@example.se>"),  # opens the second case
        mail(olle, "Ang. [%s]" % second, question, "<r4@example.se>"),  # opened in the batch
        mail(olle, "Fråga", "Gäller %s. %s" % (second, question), "<r5@example.se>"),
        mail(olle, "Fråga", "Gäller %s. %s" % (first, question), "<r6@example.se>"),  # not his
    ]
    with session_scope(engine) as session:
        for msg in batch:
            spool(session, msg.as_bytes(), "file")
    assert run(engine, ctx) == {"opened": 2, "threaded": 3}
    with Session(engine) as session:
        entries = session.exec(select(SpoolEntry).order_by(SpoolEntry.id)).all()
        by_id = {c.id: c.reference for c in cases(session)}
        assert [by_id.get(e.case_id) for e in entries[1:5]] == [first, second, second, second]
        assert by_id[entries[5].case_id] not in (first, second)


LENA, OLLE, KALLE = "Lena <lena@example.se>", "Olle <olle@example.se>", "Kalle <kalle@example.se>"
ACCESS_SV = "Vilka uppgifter har ni om mig? Jag vill ha en kopia av allt."


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    """Wrap `module.name(session, keys)`: the returned list gets how many keys each call had."""
    calls: list[int] = []
    real = getattr(module, name)

    def counted(session, keys):  # type: ignore[no-untyped-def]
        keys = list(keys)
        calls.append(len(keys))
        return real(session, keys)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_batch_looks_up_its_resends_at_once_as_one_message_at_a_time_would(
    any_engine: tuple[Engine, Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's resends are looked up in one query before it starts; the answers are those a
    lookup per message gives: a case stored before, one opened earlier in the batch, never a
    purged case, nor a message outside the window (by when each message was received)."""
    from datetime import timedelta

    from sqlalchemy import update

    from privbot.cases import resends
    from privbot.models import Message, utcnow

    engine, config = any_engine
    ctx = Context.load(config)
    lookups = _count_calls(monkeypatch, resends, "look_up")
    lena, olle, kalle, question = LENA, OLLE, KALLE, ACCESS_SV
    with session_scope(engine) as session:
        spool(session, mail(lena, "Radera", ERASURE_SV, "<s1@example.se>").as_bytes(), "file")
        spool(session, mail(olle, "Radera", ERASURE_SV, "<s2@example.se>").as_bytes(), "file")
    assert run(engine, ctx) == {"opened": 2}
    with session_scope(engine) as session:
        lena_case, olle_case = session.exec(select(Case).order_by(Case.id)).all()
        olle_case.purged_at = utcnow()  # a purged case's messages are no one's first
        session.add(olle_case)
    lookups.clear()
    batch = [
        (lena, "Radera", ERASURE_SV, 0),  # resent to the case stored before
        (olle, "Radera", ERASURE_SV, 0),  # a new case: the first one is purged
        (olle, "SV: Radera", ERASURE_SV, 0),  # resent to the case just opened in the batch
        (kalle, "Kopia", question, 10),  # received 10 days ago: a new case
        (kalle, "Kopia", question, 0),  # outside the 7-day window of the one above
        (kalle, "Kopia", question, 0),  # resent to the one just above
    ]
    with session_scope(engine) as session:
        for n, (sender, subject, text, days_ago) in enumerate(batch):
            raw = mail(sender, subject, text, "<b%d@example.se>" % n).as_bytes()
            entry, _ = spool(session, raw, "file")
            session.exec(  # type: ignore[call-overload]
                update(SpoolEntry)
                .where(SpoolEntry.id == entry.id)
                .values(received_at=utcnow() - timedelta(days=days_ago))
            )
    assert run(engine, ctx) == {"threaded": 3, "opened": 3}
    assert [n for n in lookups if n] == [len(batch)]  # one query for the batch (none when empty)
    with Session(engine) as session:
        entries = session.exec(select(SpoolEntry).order_by(SpoolEntry.id)).all()[2:]
        cases_of = [e.case_id for e in entries]
        assert cases_of[0] == lena_case.id
        assert cases_of[1] not in (lena_case.id, olle_case.id) and cases_of[2] == cases_of[1]
        assert len({cases_of[1], cases_of[3], cases_of[4]}) == 3 and cases_of[5] == cases_of[4]
        messages = session.exec(select(func.count()).select_from(Message)).one()
        assert messages == 2 + len(batch)


def test_a_batch_looks_up_its_threads_at_once_as_one_message_at_a_time_would(
    any_engine: tuple[Engine, Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Message-IDs a batch's messages answer are looked up in one query before it starts;
    each message still joins the case a query of its own would find: by a message stored
    before, by privbot's own mail, by a message earlier in the batch, the nearest one first."""
    from privbot.cases import thread

    engine, config = any_engine
    ctx = Context.load(config)
    queries = _count_calls(monkeypatch, thread, "_stored")
    lena, olle, kalle, question = LENA, OLLE, KALLE, ACCESS_SV
    with session_scope(engine) as session:
        spool(session, mail(lena, "Radera", ERASURE_SV, "<t1@example.se>").as_bytes(), "file")
        spool(session, mail(olle, "Kopia", question, "<t2@example.se>").as_bytes(), "file")
    assert run(engine, ctx) == {"opened": 2}
    with session_scope(engine) as session:
        lena_case, olle_case = session.exec(select(Case).order_by(Case.id)).all()
        session.add(  # privbot's own mail to Olle (a receipt has no message row)
            OutgoingMail(
                case_id=olle_case.id,
                message_id="<out-1@it-team.se>",
                to_addr="olle@example.se",
                raw=b"x",
            )
        )
    queries.clear()
    batch = [
        (lena, "Har ni hunnit?", "<b1@example.se>", {"In_Reply_To": "<t1@example.se>"}),
        (olle, "Tack", "<b2@example.se>", {"In_Reply_To": "<out-1@it-team.se>"}),
        (kalle, "Radera", "<b3@example.se>", {}),  # a new case
        (kalle, "Och en sak till", "<b4@example.se>", {"In_Reply_To": "<b3@example.se>"}),
        (  # the nearest ancestor wins: the message earlier in the batch, not Lena's
            kalle,
            "Ännu en sak",
            "<b5@example.se>",
            {"In_Reply_To": "<b4@example.se>", "References": "<t1@example.se> <b4@example.se>"},
        ),
    ]
    texts = [
        "Har ni hunnit radera mina uppgifter? Jag väntar på svar.",
        "Tack för kvittot.",
        ERASURE_SV,
        "Jag glömde att nämna min gamla adress också.",
        "Och mitt gamla telefonnummer, tack.",
    ]
    with session_scope(engine) as session:
        for (sender, subject, message_id, headers), text in zip(batch, texts, strict=True):
            spool(session, mail(sender, subject, text, message_id, **headers).as_bytes(), "file")
    assert run(engine, ctx) == {"threaded": 4, "opened": 1}
    assert [n for n in queries if n] == [4]  # one query for the batch (none when it has none)
    with Session(engine) as session:
        entries = session.exec(select(SpoolEntry).order_by(SpoolEntry.id)).all()[2:]
        cases_of = [e.case_id for e in entries]
        assert cases_of[:2] == [lena_case.id, olle_case.id]
        assert cases_of[2] not in (lena_case.id, olle_case.id)
        assert cases_of[3] == cases_of[4] == cases_of[2]


def test_claims_take_the_oldest_pending_entries_and_leave_the_planner_as_it_was(
    any_engine: tuple[Engine, Config],
) -> None:
    """On PostgreSQL a claim switches sorting off for itself alone; two open claims never take
    the same entry."""
    from sqlalchemy import text

    from privbot.pipeline import _claim

    engine, _ = any_engine
    with session_scope(engine) as session:
        ids = [
            spool(
                session,
                mail("p%d@example.se" % n, "Hej", "Hej", "<c-%d@x.se>" % n).as_bytes(),
                "file",
            )[0].id
            for n in range(7)
        ]
        session.flush()
    with session_scope(engine) as session:
        session.get(SpoolEntry, ids[1]).state = SpoolState.done  # type: ignore[union-attr]
    pg = engine.dialect.name == "postgresql"
    first = Session(engine)
    try:
        claimed = _claim(first, 3)
        assert [entry.id for entry in claimed] == [ids[0], ids[2], ids[3]]
        assert claimed[0].source == "file" and claimed[0].raw.startswith(b"From: ")
        if pg:
            assert first.execute(text("SELECT current_setting('enable_sort')")).scalar() == "on"
            with Session(engine) as second:  # the first claim's rows are locked: skipped
                assert [entry.id for entry in _claim(second, 10)] == [ids[4], ids[5], ids[6]]
    finally:
        first.close()


def test_a_batch_holds_at_most_its_bytes_of_mail_and_the_rest_waits_for_the_next(
    any_engine: tuple[Engine, Config],
) -> None:
    """A run of large messages is never in memory all at once: a claim stops at its bytes (a
    message larger than that comes alone), and what it locked beyond them is the next batch's."""
    from privbot.pipeline import _claim

    engine, config = any_engine
    words = ("Jag vill ha en kopia av mina personuppgifter. " * 100).encode()  # 4,700 bytes
    with session_scope(engine) as session:
        entries = [
            spool(
                session,
                mail("b%d@example.se" % n, "Kopia", "Hej", "<b-%d@x.se>" % n).as_bytes()
                + words * repeat,
                "file",
            )[0]
            for n, repeat in enumerate([1, 1, 3, 1, 1])
        ]
        session.flush()
        ids, sizes = [e.id for e in entries], [e.size for e in entries]
    cap = sizes[0] + sizes[1] + 10  # room for two small ones, never for the large one
    assert sizes[2] > cap
    first = Session(engine)
    try:
        assert [entry.id for entry in _claim(first, 10, cap)] == ids[:2]
        if engine.dialect.name == "postgresql":  # the others it locked wait for its commit
            with Session(engine) as second:
                assert _claim(second, 10, cap) == []
    finally:
        first.close()
    with session_scope(engine) as session:
        for entry_id in ids[:2]:
            session.get(SpoolEntry, entry_id).state = SpoolState.done  # type: ignore[union-attr]
    with Session(engine) as session:
        assert [entry.id for entry in _claim(session, 10, cap)] == [ids[2]]  # alone
    with session_scope(engine) as session:
        for entry_id in ids[:2]:
            session.get(SpoolEntry, entry_id).state = SpoolState.pending  # type: ignore[union-attr]

    counts = run(engine, Context.load(config), batch=10, batch_bytes=cap)
    assert sum(counts.values()) == 5
    with Session(engine) as session:
        states = session.exec(select(SpoolEntry.state).where(col(SpoolEntry.id).in_(ids))).all()
        assert sorted(states) == sorted([SpoolState.done] * 5)


def test_a_batch_of_new_requests_writes_its_drafts_together_and_names_them_in_the_audit(
    any_engine: tuple[Engine, Config],
) -> None:
    """Each new case is one INSERT of its own; its draft, receipt and identity code and the
    case's new status wait for the batch's one flush, and the audit events and the codes name
    the drafts and receipts by their ids."""
    from sqlalchemy.orm import Session as OrmSession

    from privbot.models import AuditEvent, Draft, IdentityToken

    engine, config = any_engine
    ctx = Context.load(config)
    with session_scope(engine) as session:
        for n in range(6):
            sender, body = "P%d <p%d@example.se>" % (n, n), "Radera allt ni har om mig. /P%d" % n
            spool(session, mail(sender, "Radera", body, "<n%d@example.se>" % n).as_bytes(), "file")
    inserts: list[str] = []  # the table of each INSERT statement (an executemany is one)
    flushes: list[int] = []

    def counted(_conn, _cursor, statement, _parameters, _context, _many):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO"):
            inserts.append(statement.split()[2].strip('"'))

    def flushed(_session, _context):  # type: ignore[no-untyped-def]
        flushes.append(1)

    event.listen(engine, "before_cursor_execute", counted)
    event.listen(OrmSession, "after_flush", flushed)
    try:
        assert run(engine, ctx) == {"opened": 6}
    finally:
        event.remove(engine, "before_cursor_execute", counted)
        event.remove(OrmSession, "after_flush", flushed)
    assert len(flushes) == 1
    assert inserts.count("case") == 6
    if engine.dialect.name == "postgresql":  # SQLite's driver takes the rows one at a time
        assert inserts.count("draft") == inserts.count("outgoingmail") == 1
    with Session(engine) as session:
        drafts = {d.case_id: d.id for d in session.exec(select(Draft))}
        receipts = {o.case_id: o.id for o in session.exec(select(OutgoingMail))}
        tokens = {t.case_id: t.outgoing_id for t in session.exec(select(IdentityToken))}
        events = session.exec(
            select(AuditEvent.case_id, AuditEvent.action, AuditEvent.detail).where(
                col(AuditEvent.action).in_(["draft_created", "identity_code_sent"])
            )
        ).all()
        assert len(drafts) == len(receipts) == 6 and tokens == receipts
        named = {(case_id, action): d for case_id, action, d in events}
        assert {case_id: named[case_id, "draft_created"]["draft"] for case_id in drafts} == drafts
        assert {c: named[c, "identity_code_sent"]["outgoing"] for c in receipts} == receipts
        assert {c.status for c in cases(session)} == {Status.awaiting_identity}


def test_a_case_changed_again_after_a_follow_up_in_its_batch_keeps_the_last_change_time(
    any_engine: tuple[Engine, Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A follow-up's time of change for its case is kept back and written after the batch's
    flush; a case still ends with its last change's time: the confirmation's after a reply with
    the identity code (the ORM's change after the follow-up's), the follow-up's after a reopening
    (the ORM's change before it, still unflushed: the batch's last message). The follow-ups'
    times are set apart, on a day of their own."""
    from datetime import UTC, date, datetime

    from privbot.cases import from_mail
    from privbot.models import Draft
    from tests.cases.test_identity import code_in

    engine, config = any_engine
    ctx = Context.load(config)
    lena, anna = "Lena <lena@example.se>", "Anna Berg <anna@example.se>"
    access = "Hej! Jag vill ha ett registerutdrag med allt ni har om mig."
    with session_scope(engine) as session:
        spool(session, mail(lena, "Radera", ERASURE_SV, "<u1@x.se>").as_bytes(), "file")
        spool(session, mail(anna, "Mina uppgifter", access, "<u2@x.se>").as_bytes(), "file")
    assert run(engine, ctx) == {"opened": 2}
    with session_scope(engine) as session:
        closed = session.exec(select(Case).where(Case.requester_email == "lena@example.se")).one()
        closed.status = Status.closed
        waiting = session.exec(select(Case).where(Case.requester_email == "anna@example.se")).one()
        assert waiting.status == Status.awaiting_identity
        code = code_in(session, waiting)
    monkeypatch.setattr(from_mail, "utcnow", lambda: datetime(2001, 2, 3, 12, tzinfo=UTC))
    again = "Jag vill fortfarande att ni raderar allt om mig."
    with session_scope(engine) as session:
        for msg in [
            mail(anna, "Re: Mina uppgifter", code, "<u3@x.se>", In_Reply_To="<u2@x.se>"),
            mail(lena, "Re: Radera", again, "<u4@x.se>", In_Reply_To="<u1@x.se>"),
        ]:
            spool(session, msg.as_bytes(), "file")
    assert run(engine, ctx) == {"threaded": 2}
    with Session(engine) as session:
        reopened = session.get(Case, closed.id)
        assert reopened.status == Status.in_progress
        assert reopened.updated_at.date() == date(2001, 2, 3)  # the follow-up's, after the ORM's
        verified = session.get(Case, waiting.id)
        assert verified.identity_verified and verified.status == Status.draft_ready
        newest = session.exec(select(func.max(Draft.created_at)).where(Draft.case_id == waiting.id))
        assert verified.updated_at >= newest.one()  # the confirmation's draft came after


def test_a_batch_keeps_its_temporary_files_in_memory_and_the_pool_gets_the_default_back(
    engine: Engine, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: a batch's statement journals stay in memory (its size is bounded); the connection
    goes back to the pool with the default, for transactions of any size."""
    from privbot.cases import from_mail

    seen: list[int] = []
    first_draft = from_mail.first_draft

    def noting(session, *args):  # type: ignore[no-untyped-def]
        seen.append(session.connection().exec_driver_sql("PRAGMA temp_store").scalar())
        first_draft(session, *args)

    with session_scope(engine) as session:
        spool(
            session,
            mail("Lena <lena@example.se>", "Radera", ERASURE_SV, "<t1@x.se>").as_bytes(),
            "file",
        )
    monkeypatch.setattr(from_mail, "first_draft", noting)
    assert run(engine, ctx) == {"opened": 1}
    assert seen == [2]  # MEMORY
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA temp_store").scalar() == 0  # DEFAULT


def test_a_batch_writes_its_outcome_times_in_the_form_the_orm_writes_times(
    engine: Engine, ctx: Context
) -> None:
    """SQLite keeps times as text and compares them as text: the outcomes' time, written without
    the ORM, has the form of the spool's own time (UTC, no offset)."""
    with session_scope(engine) as session:
        spool(
            session,
            mail("Lena <lena@example.se>", "Radera", ERASURE_SV, "<w1@x.se>").as_bytes(),
            "file",
        )
    assert run(engine, ctx) == {"opened": 1}
    with engine.connect() as connection:
        received, processed = connection.exec_driver_sql(
            "SELECT received_at, processed_at FROM spoolentry"
        ).one()
    form = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")
    assert form.fullmatch(received) and form.fullmatch(processed) and processed >= received
