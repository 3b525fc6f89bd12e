"""The audit log: one `AuditEvent` per change to a case, by whom, with what detail.

The caller owns the transaction, so an event is written together with its change or not at all.
Events are written with a Core insert at once, not as ORM objects: nothing reads them back in
the transaction that writes them, and the pipeline writes four or five per message.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from privbot.models import AuditEvent, Case

_INSERT = insert(AuditEvent.__table__)  # type: ignore[attr-defined]


def audit(
    session: Session, case: Case | None, action: str, actor: str = "privbot", **detail: Any
) -> None:
    session.execute(
        _INSERT,
        {"case_id": case.id if case else None, "actor": actor, "action": action, "detail": detail},
    )
