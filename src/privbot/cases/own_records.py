"""What privbot itself holds about a requester: their other cases, found by e-mail address and
by any personnummer they wrote, for the access reply (GDPR art. 15 covers the privacy
mailbox too).

Only non-purged cases count; the list carries references, dates, intents and status, never
the other cases' texts.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, or_, select

from privbot import pnr
from privbot.models import Case, Message


def _numbers(session: Session, case: Case) -> set[str]:
    texts = session.exec(select(Message.text).where(Message.case_id == case.id, Message.direction == "in")).all()
    return set().union(*(pnr.normalise(t) for t in texts)) if texts else set()


def other_cases(session: Session, case: Case) -> list[Case]:
    """The requester's other cases, oldest first."""
    found: dict[int, Case] = {}
    if case.requester_email:
        query = select(Case).where(func.lower(Case.requester_email) == case.requester_email.lower(), Case.id != case.id)
        for other in session.exec(query).all():
            found[other.id or 0] = other
    numbers = _numbers(session, case)
    if numbers:
        # Narrow by the serial digits in SQL (any written form contains them), confirm in Python.
        tails = [n[-4:] for n in numbers]
        query = select(Message.case_id, Message.text).where(
            Message.case_id != case.id, Message.direction == "in", or_(*[col(Message.text).contains(t) for t in tails])
        )
        for case_id, text in session.exec(query).all():
            if case_id not in found and numbers & pnr.normalise(text):
                other = session.get(Case, case_id)
                if other is not None:
                    found[case_id] = other
    return sorted((c for c in found.values() if c.purged_at is None), key=lambda c: (c.received_at, c.id or 0))


def own_records(session: Session, case: Case) -> list[dict[str, Any]]:
    """For templates: reference, received, intents, status, outcome of each other case."""
    return [
        {"reference": c.reference, "received": c.received_at, "intents": list(c.intents), "status": c.status.value,
         "outcome": c.outcome.value if c.outcome else ""}
        for c in other_cases(session, case)
    ]
