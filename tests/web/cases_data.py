"""Cases written straight into the real database for list and search tests: many at once,
with the statuses, dates and people a test needs (mail through the pipeline is in conftest)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from privbot.db import session_scope
from privbot.models import Case, Message, Outcome, Status


def make_case(engine: Engine, n: int, text: str = "", subject: str = "", **fields: Any) -> Case:
    """Case number `n` (reference DS-2026-<n>) with one incoming message."""
    received = fields.pop("received_at", datetime(2026, 10, 1, 9, 0, tzinfo=UTC) + timedelta(n))
    values: dict[str, Any] = dict(
        reference="DS-2026-%04d" % n,
        status=Status.in_progress,
        intents=["access"],
        language="sv",
        channel="email",
        requester_email="person%d@example.se" % n,
        requester_name="Person %d" % n,
        received_at=received,
        due=date.today() + timedelta(days=20),
    )
    values.update(fields)
    if values["status"] == Status.closed:
        values.setdefault("outcome", Outcome.fulfilled)
        values.setdefault("closed_at", received + timedelta(days=3))
    with session_scope(engine) as session:
        case = Case(**values)
        session.add(case)
        session.flush()
        session.add(
            Message(
                case_id=case.id or 0,
                message_id="<case-%d@example.se>" % n,
                subject=subject or "Begäran %d" % n,
                from_addr=values["requester_email"],
                from_name=values["requester_name"],
                at=received,
                text=text or "Hej, jag har en fråga om mina uppgifter.",
            )
        )
        return case


def today() -> date:
    return date.today()
