"""The audit log: one `AuditEvent` per change to a case, by whom, with what detail.

The caller owns the transaction, so an event is written together with its change or not at all.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from privbot.models import AuditEvent, Case


def audit(
    session: Session, case: Case | None, action: str, actor: str = "privbot", **detail: Any
) -> None:
    session.add(
        AuditEvent(case_id=case.id if case else None, actor=actor, action=action, detail=detail)
    )
