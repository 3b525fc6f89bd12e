"""What privbot itself holds about a requester: their other cases, for the access reply (GDPR
art. 15 covers the privacy mailbox too).

A typed personnummer proves nothing (anyone can type anyone's number), so earlier cases are
matched only by what is verified: the address of record once the requester proved it (code,
link, or a method staff recorded), and a personnummer staff verified for this requester
(`privbot verify REF --how METHOD --personnummer NUMBER`), which matches only cases where staff
verified the same number. The draft therefore never names another person's case.

Only non-purged cases count; the list carries references, dates, intents and status, never
the other cases' texts.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from privbot.models import Case


def other_cases(session: Session, case: Case) -> list[Case]:
    """The requester's other cases, oldest first (none until something is verified)."""
    found: dict[int, Case] = {}
    if case.identity_verified and case.requester_email:
        by_address = select(Case).where(
            Case.requester_email == case.requester_email.lower(), Case.id != case.id
        )  # stored lower-case
        for other in session.exec(by_address).all():
            found[other.id or 0] = other
    if case.verified_pnr:
        by_number = select(Case).where(Case.verified_pnr == case.verified_pnr, Case.id != case.id)
        for other in session.exec(by_number).all():
            found[other.id or 0] = other
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
