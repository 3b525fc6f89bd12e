"""Leases: one holder at a time for a named job, across processes and machines.

The IMAP poller of a mailbox runs in one process only: whoever holds the lease polls, renews it
every cycle and releases it on a clean stop; when the holder dies, its lease expires and another
process takes over. A lease is a database row, so it works the same on SQLite and PostgreSQL.
Expiry is compared with this machine's clock: machines sharing a database keep time by NTP.
Two pollers that overlap for a moment still store nothing twice: the spool is idempotent.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import col

from privbot.models import Lease, utcnow


def new_holder() -> str:
    """This process's name in lease rows: host, pid and a random part (pids are reused)."""
    return "%s:%d:%s" % (socket.gethostname()[:120], os.getpid(), uuid.uuid4().hex[:8])


def acquire(engine: Engine, name: str, holder: str, seconds: float) -> bool:
    """Take or renew the lease `name` for `seconds`; False while another live holder has it."""
    now = utcnow()
    table = Lease.__table__  # type: ignore[attr-defined]
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    with engine.begin() as conn:
        conn.execute(
            dialect.insert(table)
            .values(name=name, holder="", expires_at=now)
            .on_conflict_do_nothing(index_elements=[table.c.name])
        )
        taken = conn.execute(
            update(Lease)
            .where(col(Lease.name) == name)
            .where(or_(col(Lease.holder) == holder, col(Lease.expires_at) <= now))
            .values(holder=holder, expires_at=now + timedelta(seconds=seconds))
        )
        return taken.rowcount == 1


def release(engine: Engine, name: str, holder: str) -> None:
    """Give the lease up at once (a clean stop), so another process need not wait for expiry."""
    with engine.begin() as conn:
        conn.execute(
            update(Lease)
            .where(col(Lease.name) == name, col(Lease.holder) == holder)
            .values(holder="", expires_at=utcnow())
        )


def holder_of(engine: Engine, name: str) -> str | None:
    """The live holder of `name`, or None when it is free or expired."""
    with engine.connect() as conn:
        row = conn.execute(
            Lease.__table__.select().where(Lease.__table__.c.name == name)  # type: ignore[attr-defined]
        ).first()
    if row is None or not row.holder or row.expires_at <= utcnow():
        return None
    return str(row.holder)
