"""Retention on SQLite and PostgreSQL: purging removes every trace of the person from every
table and keeps the anonymised register; the dry run changes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from privbot.cases import actions, identity, store
from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.spool import spool
from privbot.models import Case, Outcome, SpoolEntry, SpoolState, Status, utcnow
from privbot.pipeline import Context, run
from privbot.retention import purge, register_counts
from tests.helpers import RETENTION_REQUEST

SECRETS = ("Rut Ek", "rut.ek@example.se", "811228-9874", "Storgatan 7", "klädbutiken")
BOUNCE = (
    b"From: MAILER-DAEMON@mx.example.se\r\nTo: dataskydd@it-team.se\r\nSubject: Undelivered Mail: rut.ek@example.se\r\n"
    b"Message-ID: <bounce-1@mx.example.se>\r\nAuto-Submitted: auto-replied\r\n\r\nTo rut.ek@example.se: mailbox unavailable\r\n"
)


def personal_traces(engine: Engine) -> list[str]:
    """Every (table, column) whose text or bytes still hold one of the secrets."""
    found = []
    with Session(engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if (
                    not isinstance(column.type, (String, Text, LargeBinary))
                    and "JSON" not in type(column.type).__name__
                ):
                    continue
                for (value,) in session.execute(select(column)).all():
                    blob = (
                        value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    )
                    hits = [s for s in SECRETS if s.lower() in blob.lower()]
                    if hits:
                        found.append("%s.%s: %s" % (table.name, column.name, hits))
    return found


def test_purge_removes_everything_personal_and_keeps_counts(
    any_engine: tuple[Engine, Config],
) -> None:
    engine, config = any_engine
    ctx = Context.load(config)
    with session_scope(engine) as session:
        spool(session, RETENTION_REQUEST, "file", "rut.eml")
        spool(session, BOUNCE, "file", "bounce.eml")
    run(engine, ctx)
    with session_scope(engine) as session:
        case = session.exec(select(Case)).one()
        identity.mark_verified(
            session, config, ctx.replies, case, "staff", "in person, Rut Ek showed her passport"
        )
        store.approve(session, config, case, "staff")
        actions.add_note(session, case, "staff", "Rut Ek called about 811228-9874")
        actions.close(session, case, "staff", Outcome.fulfilled)
    assert personal_traces(engine)  # the test can see them before

    later = utcnow() + timedelta(days=365 * 2 + 40)
    with session_scope(engine) as session:
        dry = purge(session, config, now=later, dry_run=True)
        session.rollback()
    assert dry.cases == [case.reference] and dry.messages >= 2 and dry.spool_entries == 2
    assert personal_traces(engine)  # a dry run changes nothing

    with session_scope(engine) as session:
        assert purge(session, config, now=utcnow()).cases == []  # not yet due
        report = purge(session, config, now=later)
    assert report.cases == [case.reference]
    assert personal_traces(engine) == []
    with Session(engine) as session:
        kept = session.exec(select(Case)).one()
        assert (
            kept.intents == ["erasure"]
            and kept.outcome == Outcome.fulfilled
            and kept.status == Status.closed
        )
        assert kept.purged_at is not None and kept.received_at and kept.closed_at
        assert all(e.raw == b"" for e in session.exec(select(SpoolEntry)).all())
        assert {e.state for e in session.exec(select(SpoolEntry)).all()} == {
            SpoolState.done,
            SpoolState.screened,
        }
        counts = register_counts(session)
    year = str(kept.received_at.year)
    assert (
        counts[year]["cases"] == 1
        and counts[year]["intents"] == {"erasure": 1}
        and counts[year]["outcomes"] == {"fulfilled": 1}
    )
    with session_scope(engine) as session:
        assert purge(session, config, now=later).cases == []  # idempotent
