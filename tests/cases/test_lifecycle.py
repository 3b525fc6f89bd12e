"""The case lifecycle: the transition table walked pair by pair, and the statuses real actions
reach through it (a clarification waits for the requester; a new case waits for identity once)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.cases import actions, lifecycle, outbox, store
from privbot.config import Config
from privbot.db import session_scope
from privbot.errors import StateError
from privbot.mail.spool import spool
from privbot.models import AuditEvent, Case, Status
from privbot.pipeline import Context, run


def status_events(session: Session, case_id: int | None) -> list[tuple[str, str]]:
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.case_id == case_id, AuditEvent.action == "status_changed")
        .order_by(col(AuditEvent.id))
    ).all()
    return [(e.detail["from"], e.detail["to"]) for e in events]


def test_every_status_has_a_row_and_closed_only_reopens() -> None:
    assert set(lifecycle.TRANSITIONS) == set(Status)
    assert lifecycle.TRANSITIONS[Status.closed] == {Status.in_progress}
    for current, targets in lifecycle.TRANSITIONS.items():
        assert current not in targets  # staying put is no transition
        if current != Status.closed:
            assert Status.closed in targets  # any open case can be closed


def test_walk_the_table(engine: Engine) -> None:
    """Every pair of statuses: a listed move happens with its audit event, any other is refused
    and leaves the case and the audit log as they were."""
    with session_scope(engine) as session:
        for n, (current, to) in enumerate((c, t) for c in Status for t in Status):
            case = Case(reference="DS-2026-%04d" % (n + 1), status=current, due=date(2026, 1, 31))
            session.add(case)
            session.flush()
            if to == current:
                assert lifecycle.transition(session, case, to, "anna", "walk") is False
                expected: list[tuple[str, str]] = []
            elif lifecycle.allowed(current, to):
                assert lifecycle.transition(session, case, to, "anna", "walk") is True
                expected = [(current.value, to.value)]
            else:
                with pytest.raises(StateError, match="cannot go from %s to %s" % (current, to)):
                    lifecycle.transition(session, case, to, "anna", "walk")
                expected = []
            session.flush()
            assert case.status == (to if expected or to == current else current)
            assert status_events(session, case.id) == expected
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "status_changed")
        ).first()
        assert event is not None and event.actor == "anna" and event.detail["reason"] == "walk"


ERASURE = (
    b"From: Bo <bo@example.se>\r\nTo: dataskydd@it-team.se\r\nSubject: Radera mig\r\n"
    b"Message-ID: <lc-1@example.se>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Hej! Jag vill att ni raderar alla uppgifter ni har om mig.\r\n"
)
FOLLOW_UP = (
    b"From: Bo <bo@example.se>\r\nTo: dataskydd@it-team.se\r\nSubject: SV: Radera mig\r\n"
    b"Message-ID: <lc-2@example.se>\r\nIn-Reply-To: <lc-1@example.se>\r\n"
    b"References: <lc-1@example.se>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Det galler kundkontot fran 2019.\r\n"
)


def test_a_sent_question_waits_for_the_requester_and_a_reply_reopens(
    engine: Engine, config: Config
) -> None:
    ctx = Context.load(config)
    with session_scope(engine) as session:
        spool(session, ERASURE, "file")
    run(engine, ctx)
    with session_scope(engine) as session:
        case = session.exec(select(Case)).one()
        # A new case needing identity reaches awaiting_identity once, not twice.
        assert status_events(session, case.id) == [("new", "awaiting_identity")]
        actions.request_clarification(
            session, config, ctx.replies, case, "anna", "Which account do you mean?"
        )
        store.approve(session, config, case, "anna")
        case_id = case.id
    outbox.deliver(engine, config)
    with Session(engine) as session:
        case = session.get(Case, case_id)
        assert case is not None and case.status == Status.awaiting_requester
    with session_scope(engine) as session:
        spool(session, FOLLOW_UP, "file")
    assert run(engine, ctx) == {"threaded": 1}
    with Session(engine) as session:
        assert status_events(session, case_id)[-3:] == [
            ("draft_ready", "approved"),
            ("approved", "awaiting_requester"),
            ("awaiting_requester", "in_progress"),
        ]
