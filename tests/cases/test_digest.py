"""The supervisors' digest and refusals on SQLite and PostgreSQL; what privbot holds about a
requester in an access reply."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases import actions, identity, outbox, store
from privbot.cases.digest import send_digest
from privbot.cases.refusal import refuse
from privbot.config import Config
from privbot.db import session_scope
from privbot.errors import StateError
from privbot.mail.spool import spool
from privbot.models import Case, DigestRun, Outcome, OutgoingMail, Status, utcnow
from privbot.pipeline import Context, run
from privbot.staffnotes import problems


def request(
    n: int,
    sender: str = "anna@example.se",
    body: str = "Jag vill ha ett registerutdrag med allt ni har om mig.",
) -> bytes:
    return (
        "From: %s\r\nTo: dataskydd@it-team.se\r\nSubject: Begäran %d\r\nMessage-ID: <dg-%d@example.se>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nHej! %s\r\n" % (sender, n, n, body)
    ).encode()


def ingest(engine: Engine, config: Config, *messages: bytes) -> None:
    with session_scope(engine) as session:
        for message in messages:
            spool(session, message, "file")
    run(engine, Context.load(config))


def test_digest_lists_due_and_overdue_once_a_day(any_engine: tuple[Engine, Config], relay) -> None:  # type: ignore[no-untyped-def]
    from privbot.config import RelayConfig

    engine, config = any_engine
    catcher, port = relay
    config = replace(
        config,
        supervisors=("chef@it-team.se", "dpo@it-team.se"),
        relay=RelayConfig(host="127.0.0.1", port=port),
    )
    ingest(engine, config, request(1), request(2, "bo@example.se"), request(3, "cia@example.se"))
    today = utcnow().date()
    with session_scope(engine) as session:
        first, second, third = session.exec(select(Case).order_by(Case.id)).all()
        first.due = today - timedelta(days=2)
        second.due = today + timedelta(days=3)
        third.due = today + timedelta(days=20)
    replies = Context.load(config).replies
    with session_scope(engine) as session:
        digest = send_digest(session, config, replies, today)
    assert digest is not None
    assert [c["reference"] for c in digest.overdue] == [first.reference]
    assert [c["reference"] for c in digest.due_soon] == [second.reference]
    with session_scope(engine) as session:
        assert send_digest(session, config, replies, today) is None  # never twice for the same day
        assert session.get(DigestRun, today).recipients == 2
    outbox.deliver(engine, config, limit=100)
    digests = [m for m in catcher.messages if m["To"].addresses[0].addr_spec in config.supervisors]
    assert len(digests) == 2
    body = digests[0].get_content()
    assert first.reference in body and second.reference in body and third.reference not in body
    assert "@example.se" not in body  # no requester in it


def test_refusal_is_drafted_and_its_approval_closes_the_case(
    any_engine: tuple[Engine, Config],
) -> None:
    engine, config = any_engine
    ingest(engine, config, request(1, body="Jag vill ha ett registerutdrag."))
    replies = Context.load(config).replies
    with session_scope(engine) as session:
        case = session.exec(select(Case)).one()
        with pytest.raises(StateError):
            refuse(session, config, replies, case, "staff", "because")
        draft = refuse(session, config, replies, case, "staff", "excessive")
        assert "IMY" in draft.body or "Integritetsskyddsmyndigheten" in draft.body
        assert problems(draft.body)  # the reason is for staff to write
        reason = "Du har ställt samma fråga fem gånger den här veckan; vi svarade den 2 december."
        filled = re.sub(r"\[\[.*?\]\]", reason, draft.body)
        store.approve(session, config, case, "staff", filled)  # needs no verified identity
        assert (
            case.status == Status.closed
            and case.outcome == Outcome.denied
            and case.outcome_reason == "excessive"
        )
        assert session.exec(select(OutgoingMail).where(OutgoingMail.automatic == False)).one()  # noqa: E712


def test_access_reply_lists_the_requesters_earlier_cases(engine: Engine, config: Config) -> None:
    ingest(
        engine,
        config,
        request(1, "anna@example.se", "Ta bort mig från ert register. Personnummer 811228-9874."),
    )
    ingest(
        engine,
        config,
        request(
            2,
            "anna.b@other.example",
            "Jag vill ha ett registerutdrag. Mitt personnummer: 198112289874",
        ),
    )
    ingest(engine, config, request(3, "bo@example.se", "Radera mina uppgifter."))
    replies = Context.load(config).replies
    with session_scope(engine) as session:
        first, second, _ = session.exec(select(Case).order_by(Case.id)).all()
        identity.mark_verified(session, config, replies, second, "staff", "in person")
        body = store.current_draft(session, second).body
    assert first.reference not in body  # a typed personnummer proves nothing
    with session_scope(engine) as session:  # staff verified the number on both cases
        first, second, _ = session.exec(select(Case).order_by(Case.id)).all()
        actions.record_personnummer(session, first, "staff", "811228-9874")
        actions.record_personnummer(session, second, "staff", "198112289874")
        identity.mark_verified(session, config, replies, second, "staff", "BankID")
        body = store.current_draft(session, second).body
    assert first.reference in body  # found by a verified personnummer, across addresses
    assert "DS-" in body and body.count("DS-") >= 2
    with Session(engine) as session:
        third = session.exec(select(Case).where(Case.requester_email == "bo@example.se")).one()
    assert third.reference not in body
