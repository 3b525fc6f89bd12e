"""What privbot itself holds about a requester: their other cases, found by e-mail address and
by any personnummer they wrote, for the access reply (GDPR art. 15 covers the privacy
mailbox too).

Only non-purged cases count; the list carries references, dates, intents and status, never
the other cases' texts.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, or_, select

from privbot import pnr
from privbot.models import Case, Message


def _numbers(session: Session, case: Case) -> set[str]:
    texts = session.exec(
        select(Message.text).where(Message.case_id == case.id, Message.direction == "in")
    ).all()
    return set().union(*(pnr.normalise(t) for t in texts)) if texts else set()


def other_cases(session: Session, case: Case) -> list[Case]:
    """The requester's other cases, oldest first."""
    found: dict[int, Case] = {}
    if case.requester_email:
        by_address = select(Case).where(
            Case.requester_email == case.requester_email.lower(), Case.id != case.id
        )  # stored lower-case
        for other in session.exec(by_address).all():
            found[other.id or 0] = other
    numbers = _numbers(session, case)
    if numbers:
        # Narrow by the serial digits in SQL (any written form contains them), confirm in Python.
        tails = [n[-4:] for n in numbers]
        by_number = select(Message).where(
            Message.case_id != case.id,
            Message.direction == "in",
            or_(*[col(Message.text).contains(t) for t in tails]),
        )
        for message in session.exec(by_number).all():
            if message.case_id not in found and numbers & pnr.normalise(message.text):
                match = session.get(Case, message.case_id)
                if match is not None:
                    found[message.case_id] = match
    return sorted(
        (c for c in found.values() if c.purged_at is None), key=lambda c: (c.received_at, c.id or 0)
    )


def own_records(session: Session, case: Case) -> list[dict[str, Any]]:
    """For templates: reference, received, intents, status, outcome of each other case."""
    return [
        {
            "reference": c.reference,
            "received": c.received_at,
            "intents": list(c.intents),
            "status": c.status.value,
            "outcome": c.outcome.value if c.outcome else "",
        }
        for c in other_cases(session, case)
    ]
