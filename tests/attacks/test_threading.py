"""Break 1: a stranger who writes "Re: [DS-2026-0001]" must not join that case or reopen it; a
requester's "thanks" to a closed case stays closed, a new request reopens it. Issue 12 item 8:
the same text resent under a new Message-ID joins the first case as an audited duplicate.
All through the real SMTP intake and the service's worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from privbot.cases import actions, store
from privbot.config import Config
from privbot.db import session_scope
from privbot.models import (
    AuditEvent,
    Case,
    Message,
    Outcome,
    OutgoingMail,
    SpoolEntry,
    SpoolState,
    Status,
)
from privbot.service import Service
from tests.attacks.conftest import cli, message, smtp_send, staff_user, wait_db
from tests.helpers import free_port

REQUEST = "Hej,\n\njag vill att ni raderar alla uppgifter ni har om mig.\n\nMvh Lena\n"


@pytest.fixture
def service(config: Config) -> Iterator[Service]:
    svc = Service(config, smtp_port=free_port(), interval=0.2)
    svc.start()
    yield svc
    svc.stop()


def done(service: Service, message_id: str) -> SpoolEntry:
    return wait_db(
        service.engine,
        lambda s: s.exec(
            select(SpoolEntry).where(
                SpoolEntry.message_id == message_id, SpoolEntry.state == SpoolState.done
            )
        ).first(),
    )


def events(session: Session, case_id: int | None, action: str) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action == action)
        ).all()
    )


def test_a_stranger_cannot_join_or_reopen_a_case_by_its_reference(
    service: Service, home: Path
) -> None:
    port, engine = service.intake.port, service.engine
    smtp_send(port, message("Lena <lena@example.se>", "Radera mig", REQUEST, "<t1@example.se>"))
    entry = done(service, "<t1@example.se>")
    with session_scope(engine) as session:
        case = session.get(Case, entry.case_id)
        assert case is not None
        actions.close(session, case, "anna", Outcome.fulfilled)
        reference = case.reference

    attack = message(
        "Mallory <mallory@evil.example>",
        "Re: [%s] Radera mig" % reference,
        "Jag vill också ha ett registerutdrag med allt ni har.",
        "<t2@evil.example>",
    )
    smtp_send(port, attack)
    intruder = done(service, "<t2@evil.example>")
    with Session(engine) as session:
        case = session.get(Case, entry.case_id)
        assert case is not None and case.status == Status.closed  # not reopened
        assert intruder.case_id != case.id
        assert [m.from_addr for m in store.thread_messages(session, case)] == ["lena@example.se"]
        other = session.get(Case, intruder.case_id)
        assert other is not None and other.requester_email == "mallory@evil.example"
        assert other.needs_review
        first = store.thread_messages(session, other)[0]
        assert (
            first.classification["warning"] == "sender differs from the requester of %s" % reference
        )
        assert events(session, case.id, "foreign_message")
        # Nothing about Lena's case went to the stranger.
        for out in session.exec(select(OutgoingMail)).all():
            assert out.to_addr != "mallory@evil.example" or reference.encode() not in out.raw

    # Her own "thanks" is recorded and the case stays closed ...
    smtp_send(
        port,
        message(
            "lena@example.se",
            "SV: [%s] Radera mig" % reference,
            "Tack så mycket!",
            "<t3@example.se>",
        ),
    )
    assert done(service, "<t3@example.se>").case_id == entry.case_id
    with Session(engine) as session:
        case = session.get(Case, entry.case_id)
        assert case is not None and case.status == Status.closed
        assert events(session, case.id, "message_on_closed_case")
    # ... and a new request of hers reopens it.
    smtp_send(
        port,
        message(
            "lena@example.se",
            "SV: [%s] Radera mig" % reference,
            "Jag vill också ha ett registerutdrag.",
            "<t4@example.se>",
        ),
    )
    assert done(service, "<t4@example.se>").case_id == entry.case_id
    with Session(engine) as session:
        case = session.get(Case, entry.case_id)
        assert case is not None and case.status == Status.in_progress
        assert events(session, case.id, "case_reopened")

    # An address staff add for her joins like her own.
    staff_user(home, "anna")
    cli(home, "case", "allow-sender", reference, "Lena@Work.example", "--as", "anna")
    smtp_send(
        port,
        message(
            "lena@work.example",
            "SV: [%s]" % reference,
            "Här är min jobbadress.",
            "<t5@work.example>",
        ),
    )
    assert done(service, "<t5@work.example>").case_id == entry.case_id


def test_the_same_text_resent_under_a_new_message_id_is_one_case_and_one_receipt(
    service: Service,
) -> None:
    port, engine = service.intake.port, service.engine
    for number in (1, 2):
        msg = message("Ola <ola@example.se>", "Radera mig", REQUEST, "<r%d@example.se>" % number)
        smtp_send(port, msg)
        done(service, "<r%d@example.se>" % number)
    with Session(engine) as session:
        cases = session.exec(select(Case)).all()
        assert len(cases) == 1
        assert len(store.thread_messages(session, cases[0])) == 2
        assert len(events(session, cases[0].id, "duplicate_resend")) == 1
        automatic = session.exec(
            select(func.count()).select_from(OutgoingMail).where(col(OutgoingMail.automatic))
        ).one()
        receipts = events(session, cases[0].id, "receipt_queued")
        assert len(receipts) == 1 and automatic == 1
    # A different text from the same sender is a new request.
    smtp_send(
        port,
        message("ola@example.se", "Fråga", "Vilka uppgifter har ni om mig?", "<r3@example.se>"),
    )
    done(service, "<r3@example.se>")
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Case)).one() == 2
        assert session.exec(select(func.count()).select_from(Message)).one() == 3
