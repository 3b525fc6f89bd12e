"""Database engine, sessions and schema migrations.

SQLite in the data directory by default (WAL, a busy timeout, foreign keys on); PostgreSQL when
`PRIVBOT_DATABASE_URL` says so, where work is claimed with `FOR UPDATE SKIP LOCKED` so several
processes can share the spool and the outbox without a coordinator. The schema is kept by
Alembic migrations in `migrations/versions/`: an empty database gets the current schema and is
stamped; an existing one is upgraded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, inspect, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.sql.selectable import GenerativeSelect
from sqlmodel import Session, SQLModel, create_engine

from privbot import (
    models,  # noqa: F401  (registers the tables)
    search,  # the full-text search table, made beside the models
)
from privbot.datadir import secure_sqlite

Q = TypeVar("Q", bound=GenerativeSelect)  # a select to claim rows with
BUSY_TIMEOUT_MS = 30_000  # how long a SQLite writer waits for the lock, unless `lock_wait` says
# JSON values written as `json.dumps` writes them, without its check for a value that contains
# itself (none does): a message's classification, about 1.2 kB, took 10.1 µs instead of 8.5.
_JSON = json.JSONEncoder(check_circular=False).encode


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            secure_sqlite(Path(path))
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            json_serializer=_JSON,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(
                "PRAGMA synchronous=FULL"
            )  # a commit survives power loss: 250 and IMAP moves follow it
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=%d" % BUSY_TIMEOUT_MS)
            cur.close()

        @event.listens_for(engine, "checkin")
        def _default_busy_timeout(dbapi_conn: Any, _record: Any) -> None:
            if dbapi_conn is not None:  # `lock_wait` may have shortened it for one transaction,
                dbapi_conn.execute("PRAGMA busy_timeout=%d" % BUSY_TIMEOUT_MS)
                dbapi_conn.execute("PRAGMA temp_store=DEFAULT")  # `temporary_in_memory` set it

    else:
        engine = create_engine(url, pool_pre_ping=True, json_serializer=_JSON)

        @event.listens_for(engine, "connect")
        def _lz4_toast(dbapi_conn: Any, _record: Any) -> None:
            # Values too large for a row (raw mail, bodies) compressed with lz4 where the server
            # has it (PostgreSQL 14 and later, built with lz4): a fifth to a third less time
            # than the default pglz to store a message in the spool, faster to read back. Values
            # stored before stay as they are; every server reads both.
            dbapi_conn.execute(
                "SELECT set_config('default_toast_compression', 'lz4', false)"
                " FROM pg_settings WHERE name = 'default_toast_compression'"
                " AND 'lz4' = ANY(enumvals)"
            )
            dbapi_conn.commit()

    migrate(engine)
    return engine


def alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision: create and stamp an empty database, else upgrade."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if not tables:
            SQLModel.metadata.create_all(conn)
            search.create_schema(conn)  # not a model: FTS5 or tsvector, made by its migration
            command.stamp(cfg, "head")
        else:
            command.upgrade(cfg, "head")
        if conn.dialect.name == "sqlite":
            # SQLite drops a table's triggers with it, and a migration that alters `case` in
            # batch mode makes it anew: the intent triggers are put back (no-ops when there).
            for statement in models.INTENT_TRIGGERS["sqlite"]:
                conn.exec_driver_sql(statement)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def lock_wait(session: Session, seconds: float) -> None:
    """Wait at most `seconds` for a lock in this session's transaction (call it first): SQLite's
    busy timeout for this connection, PostgreSQL's `lock_timeout` for this transaction."""
    millis = max(1, int(seconds * 1000))
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL lock_timeout = %d" % millis))
    else:
        session.execute(text("PRAGMA busy_timeout = %d" % millis))


def temporary_in_memory(session: Session) -> None:
    """SQLite: keep this transaction's temporary files in memory (call it before the
    transaction's first write; the connection's default comes back when it returns to the pool).

    A statement that changes rows keeps the pages it changes in a statement journal, to undo
    itself alone should it fail (a foreign key checked, a NOT NULL column); the journal goes to
    a temporary file once larger than 64 KiB, and from then on each statement in the transaction
    writes its pages there (a system call each). For a transaction of bounded size, such as one
    of the pipeline's batches, memory does (a batch's spool outcomes: 12.5 -> 6.3 µs per row).
    Not the default for every transaction: one large statement (a migration's) would hold all
    the pages it changes in memory."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA temp_store = MEMORY")


def claimable(session: Session, query: Q) -> Q:
    """Claim rows for this worker: PostgreSQL locks them so other workers skip them; SQLite
    takes its write lock first (call this before the session's first query)."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    # A write as the transaction's first statement takes SQLite's one write lock before the
    # claim is read, so a second process (serve beside a CLI ingest) waits instead of reading the
    # same pending rows and processing them twice.
    session.execute(text("UPDATE referencecounter SET last = last WHERE 0"))
    return query
