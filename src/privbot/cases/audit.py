"""The audit log: one `AuditEvent` per change to a case, by whom, with what detail.

The caller owns the transaction, so an event is written together with its change or not at all.
Events are written with a Core insert, not as ORM objects: nothing reads them back in the
transaction that writes them; the pipeline keeps a batch's events back and writes them in one
statement (`kept_back.py`). A detail may be a draft or an outgoing mail not written yet: the
event names it by its id (`kept_back.py` says how).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from privbot.cases.kept_back import add_or_insert
from privbot.models import AuditEvent, Case, utcnow

_TABLE = AuditEvent.__table__  # type: ignore[attr-defined]


def audit(
    session: Session, case: Case | None, action: str, actor: str = "privbot", **detail: Any
) -> None:
    row = {
        "case_id": case.id if case else None,
        "actor": actor,
        "action": action,
        "detail": detail,
        "at": utcnow(),  # when it happened, also when the row is written later
    }
    add_or_insert(session, _TABLE, row)
