"""The audit log: one `AuditEvent` per change to a case, by whom, with what detail.

The caller owns the transaction, so an event is written together with its change or not at all.
Events are written with a Core insert, not as ORM objects: nothing reads them back in the
transaction that writes them. The pipeline goes further and keeps a batch's events back
(`batched`), writing them in one executemany before it commits: one statement per batch instead
of one per event, a round trip each on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from privbot.models import AuditEvent, Case, utcnow

_INSERT = insert(AuditEvent.__table__)  # type: ignore[attr-defined]
_KEPT_BACK = "privbot.audit.kept_back"  # session.info key: the rows `batched` holds


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
    kept_back: list[dict[str, Any]] | None = session.info.get(_KEPT_BACK)
    if kept_back is not None:
        kept_back.append(row)
    else:
        session.execute(_INSERT, row)


class AuditBatch:
    """The events of a block, kept back until `write`; `mark` and `drop_since` forget those of
    work that was rolled back to a savepoint."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: list[dict[str, Any]] = []

    def mark(self) -> int:
        return len(self.rows)

    def drop_since(self, mark: int) -> None:
        del self.rows[mark:]

    def write(self) -> None:
        if self.rows:
            self.session.execute(_INSERT, self.rows)
            self.rows = []
            self.session.info[_KEPT_BACK] = self.rows


@contextmanager
def batched(session: Session) -> Iterator[AuditBatch]:
    """Keep the session's audit events back inside the block; the caller calls `write` before it
    commits (events not written when the block ends are dropped, as a rollback would)."""
    batch = AuditBatch(session)
    session.info[_KEPT_BACK] = batch.rows
    try:
        yield batch
    finally:
        session.info.pop(_KEPT_BACK, None)
