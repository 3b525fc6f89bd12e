"""Cases on SQLite and PostgreSQL: references, approval, four-eyes, actions with audit events."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases import actions, identity, store
from privbot.cases.reference import find_references, next_reference
from privbot.config import Config
from privbot.db import session_scope
from privbot.errors import StateError
from privbot.mail.spool import spool
from privbot.models import AuditEvent, Case, Outcome, Status, utcnow
from privbot.pipeline import Context, run

ACCESS = (
    b"From: Anna <anna@example.se>\r\nTo: dataskydd@it-team.se\r\nSubject: Mina uppgifter\r\nMessage-ID: <st-1@example.se>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nHej! Jag vill ha ett registerutdrag med allt ni har om mig.\r\n"
)


def opened(engine: Engine, config: Config, raw: bytes = ACCESS) -> Case:
    ctx = Context.load(config)
    with session_scope(engine) as session:
        spool(session, raw, "file")
    run(engine, ctx)
    with Session(engine) as session:
        return session.exec(select(Case)).one()


def test_references_count_per_year_on_both_databases(any_engine: tuple[Engine, Config]) -> None:
    engine, _ = any_engine
    with session_scope(engine) as session:
        refs = [next_reference(session, 2026) for _ in range(3)] + [next_reference(session, 2027)]
    assert refs == ["DS-2026-0001", "DS-2026-0002", "DS-2026-0003", "DS-2027-0001"]
    assert find_references("SV: Re: [ds-2026-0042] tack") == ["DS-2026-0042"]


def test_pipeline_and_approval_on_both_databases(any_engine: tuple[Engine, Config]) -> None:
    engine, config = any_engine
    case = opened(engine, config)
    assert case.status == Status.awaiting_identity and case.intents[0] == "access"
    with session_scope(engine) as session, pytest.raises(StateError, match="not verified"):
        store.approve(session, config, session.get(Case, case.id), "anna")
    with session_scope(engine) as session:
        identity.mark_verified(
            session,
            config,
            Context.load(config).replies,
            session.get(Case, case.id),
            "anna",
            "in person",
        )
    with session_scope(engine) as session:
        out = store.approve(session, config, session.get(Case, case.id), "anna")
        assert out.to_addr == "anna@example.se"
    with Session(engine) as session:
        actions_seen = [
            e.action
            for e in session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
        ]
    assert actions_seen[0] == "case_opened" and "draft_approved" in actions_seen


def test_four_eyes_rule(engine: Engine, config: Config) -> None:
    cfg = replace(config, four_eyes=True)
    case = opened(engine, cfg)
    with session_scope(engine) as session:
        identity.mark_verified(
            session, cfg, Context.load(cfg).replies, session.get(Case, case.id), "dan", "in person"
        )
    with session_scope(engine) as session:
        actions.save_draft(session, session.get(Case, case.id), "bo", "Svar", "Hej Anna!")
    with session_scope(engine) as session, pytest.raises(StateError, match="four-eyes"):
        store.approve(session, cfg, session.get(Case, case.id), "bo")
    with session_scope(engine) as session:
        store.approve(session, cfg, session.get(Case, case.id), "cecilia")


def test_reclassify_records_the_correction_and_redrafts(engine: Engine, config: Config) -> None:
    case = opened(engine, config)
    replies = Context.load(config).replies
    with session_scope(engine) as session:
        draft = actions.reclassify(
            session, config, replies, session.get(Case, case.id), "bo", ["erasure"]
        )
        assert "bokföringslagen" in draft.body
    with Session(engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "intents_corrected")
        ).one()
    assert event.detail == {"before": ["access"], "after": ["erasure"]}


def test_extension_only_before_the_first_deadline(engine: Engine, config: Config) -> None:
    case = opened(engine, config)
    replies = Context.load(config).replies
    with session_scope(engine) as session:
        c = session.get(Case, case.id)
        c.due = (utcnow() - timedelta(days=1)).date()
        with pytest.raises(StateError, match="passed"):
            actions.extend_deadline(session, config, replies, c, "bo", "many systems to search")
    with session_scope(engine) as session:
        c = session.get(Case, case.id)
        c.due = (utcnow() + timedelta(days=5)).date()
        draft = actions.extend_deadline(session, config, replies, c, "bo", "many systems to search")
        assert c.extended_due is not None and c.extended_due > c.due
        assert c.reference in draft.subject


def test_close_merge_and_denial_reasons(engine: Engine, config: Config) -> None:
    first = opened(engine, config)
    ctx = Context.load(config)
    with session_scope(engine) as session:
        spool(
            session,
            ACCESS.replace(b"st-1", b"st-9").replace(b"Mina uppgifter", b"Registerutdrag igen"),
            "file",
        )
    run(engine, ctx)
    with session_scope(engine) as session:
        second = session.exec(select(Case).where(Case.id != first.id)).one()
        target = session.get(Case, first.id)
        actions.merge(session, second, target, "bo")
        assert second.outcome == Outcome.duplicate and second.duplicate_of == target.id
        assert len(store.thread_messages(session, target)) == 2
        with pytest.raises(StateError):
            actions.close(session, target, "bo", Outcome.denied, "because")
        actions.close(session, target, "bo", Outcome.denied, "no_match")
        assert target.status == Status.closed
