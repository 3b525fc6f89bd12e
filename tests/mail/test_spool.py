"""The spool's batch path: the same idempotence as `spool`, on SQLite and PostgreSQL."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from privbot.config import Config
from privbot.db import make_engine, session_scope
from privbot.mail.parse import (
    _message_ids,
    _raw_header,
    content_hash,
    message_id_of,
    normalise_line_endings,
    spool_key,
    synthetic_message_id,
)
from privbot.mail.spool import spool, spool_many
from privbot.models import SpoolEntry, SpoolState
from tests.helpers import DATA, postgres_database


def raw(n: int, body: str = "Radera mina uppgifter.") -> bytes:
    return (
        "From: p%d@example.se\r\nSubject: s\r\nMessage-ID: <m-%d@example.se>\r\n\r\n%s\r\n"
        % (n, n, body)
    ).encode()


def entries(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(SpoolEntry)).one())


def test_spool_many_is_idempotent_and_keeps_order(any_engine: tuple[Engine, Config]) -> None:
    engine, _ = any_engine
    batch = [(raw(i), "ref-%d" % i) for i in range(5)]
    with session_scope(engine) as session:
        first = spool_many(session, batch, "imap")
    assert [created for _, created in first] == [True] * 5 and len({i for i, _ in first}) == 5
    with session_scope(engine) as session:
        again = spool_many(session, list(reversed(batch)), "imap")
    assert again == [(i, False) for i, _ in reversed(first)]
    with Session(engine) as session:
        assert session.get(SpoolEntry, first[2][0]).source_ref == "ref-2"  # type: ignore[union-attr]
    assert entries(engine) == 5


def test_spool_many_agrees_with_spool_and_stores_a_repeat_once(
    any_engine: tuple[Engine, Config],
) -> None:
    engine, _ = any_engine
    with session_scope(engine) as session:
        earlier, _ = spool(session, raw(1), "smtp")
    relayed = (
        b"Received: from mx2.example.se by mx.example.se; Thu, 26 Nov 2026 10:01:00 +0100\r\n"
        + raw(1)
    )
    with session_scope(engine) as session:
        got = spool_many(
            session, [(relayed, "a"), (raw(2), "b"), (raw(2), "c"), (raw(3, "annat"), "d")], "imap"
        )
    assert got[0] == (earlier.id, False)  # the same message over another path
    assert got[1][1] is True and got[2] == (got[1][0], False)  # twice in one batch: once
    assert got[3][1] is True
    assert entries(engine) == 3


def test_spool_many_uses_one_insert_statement(engine: Engine) -> None:
    statements: list[str] = []
    with session_scope(engine) as session:
        driver = session.connection().connection.dbapi_connection
        driver.set_trace_callback(statements.append)  # type: ignore[union-attr]
        spool_many(session, [(raw(i), "") for i in range(100)], "imap")
        driver.set_trace_callback(None)  # type: ignore[union-attr]
    assert sum(s.lstrip().upper().startswith("INSERT") for s in statements) == 1


def test_spool_many_stores_what_spool_stores(any_engine: tuple[Engine, Config]) -> None:
    """The batch path writes through the driver: its rows read back as the ORM's do."""
    engine, _ = any_engine
    with session_scope(engine) as session:
        one, _ = spool(session, raw(1), "imap", "ref-1", mailbox="kundtjanst")
        [(other_id, _)] = spool_many(session, [(raw(2), "ref-2")], "imap", mailbox="kundtjanst")
    columns = "received_at, state, stage, reason, mailbox, source, source_ref, size, raw"
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT %s FROM spoolentry WHERE id IN (%d, %d) ORDER BY id"
            % (columns, one.id, other_id)
        ).all()
    (by_orm, by_batch) = [dict(zip(columns.split(", "), row, strict=True)) for row in rows]
    assert type(by_batch["received_at"]) is type(by_orm["received_at"])
    if isinstance(by_orm["received_at"], str):  # SQLite: the same text format
        assert len(by_batch["received_at"]) == len(by_orm["received_at"])
    assert {k: v for k, v in by_batch.items() if k not in ("received_at", "source_ref", "raw")} == {
        k: v for k, v in by_orm.items() if k not in ("received_at", "source_ref", "raw")
    }
    assert (by_batch["source_ref"], bytes(by_batch["raw"])) == ("ref-2", raw(2))
    with Session(engine) as session:
        entry = session.get(SpoolEntry, other_id)
        assert entry is not None and entry.state == SpoolState.pending


def test_postgres_spool_bytes_are_compressed_with_lz4(postgres_url: str) -> None:
    """Where the server has lz4, raw bytes too large for a row are stored with it, not pglz."""
    with postgres_database(postgres_url) as url:
        engine = make_engine(url)
        with session_scope(engine) as session:
            [(entry_id, _)] = spool_many(session, [(raw(1, "Radera. " * 1000), "")], "imap")
        with engine.connect() as conn:
            offered = conn.exec_driver_sql(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
                " WHERE name = 'default_toast_compression'"
            ).scalar()
            method = conn.exec_driver_sql(
                "SELECT pg_column_compression(raw) FROM spoolentry WHERE id = %d" % entry_id
            ).scalar()
        engine.dispose()
    assert method == ("lz4" if offered else "pglz")


def _compat32_message_id(data: bytes) -> str:
    msg = email.message_from_bytes(normalise_line_endings(data), policy=policy.compat32)
    ids = _message_ids(_raw_header(msg, "Message-ID"))
    return ids[0] if ids else synthetic_message_id(data)


def test_spool_key_reads_message_ids_as_the_stdlib_parser_does() -> None:
    samples = [p.read_bytes() for p in sorted(Path(DATA).rglob("*.eml"))] + [
        b"Message-ID:\r\n <folded@x>\r\nFrom: a@b\r\n\r\nx",
        b"From x@y Mon Nov 23 10:00:00 2026\nMessage-ID: <after-envelope@x>\n\nbody",
        b"X: y\r\nnot a header line\r\nMessage-ID: <in-body@x>\r\n\r\nbody",
        b":empty-name\r\nMessage-Id: <ok@x>\r\n\r\n",
        b"Subject: a\r\n Message-ID: <continuation@x>\r\nMessage-ID: <real@x>\r\n\r\n",
        b"Message-ID: \xff<eight-bit@x>\r\n\r\n",
        b"\r\nMessage-ID: <after-blank@x>\r\n",
        b"Message-ID <no-colon@x>\r\nMessage-ID: <x@y>\r\n\r\n",
        b"Message-ID: <first@x>\r\nMessage-ID: <second@x>\r\n\r\n",
        b"Received: r\r\nmessage-id:\t \r\n\t<tab-folded@x>\r\n\r\n",
        b"Subject: s\r\nMessage-ID: <no-body@x>",
        b"X: y\r\n\r\nMessage-ID: <after-the-header-block@x>\r\n",
        b"Message ID: <space-in-name@x>\r\nMessage-ID: <other@x>\r\n\r\n",
    ]
    for data in samples:
        assert spool_key(data) == (_compat32_message_id(data), content_hash(data)), data[:60]
        assert message_id_of(data) == _compat32_message_id(data)


def _line_by_line_hash(raw: bytes) -> str:
    """`content_hash` as its docstring says it, a line at a time: line endings made LF (an mbox
    envelope line dropped), trace headers of the header block dropped with their continuation
    lines, trailing white space of the rest dropped."""
    import hashlib
    import re

    data = raw
    if data.startswith(b"From ") and b"\n" in data[:1000]:
        data = data.split(b"\n", 1)[1]
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    head, sep, body = data.partition(b"\n\n")
    trace = re.compile(
        rb"(received|return-path|delivered-to|x-original-to|x-received|arc-[a-z-]+"
        rb"|authentication-results|x-privbot-[a-z-]+):",
        re.IGNORECASE,
    )
    kept: list[bytes] = []
    dropping = False
    for line in head.split(b"\n"):
        if dropping and line[:1] in (b" ", b"\t"):
            continue
        dropping = bool(trace.match(line))
        if not dropping:
            kept.append(line)
    return hashlib.sha256(b"\n".join(kept) + b"\n" + sep + body.rstrip()).hexdigest()


def test_content_hash_drops_trace_headers_and_trailing_space_as_said() -> None:
    samples = [p.read_bytes() for p in sorted(Path(DATA).rglob("*.eml"))] + [
        b"Received: from a\r\n\tby b\r\nFrom: x@y\r\nReceived: c\r\n\r\nbody\r\n\r\n \t",
        b"received: a\nX-Privbot-Spool: 1\n  folded\nARC-Seal: s\nSubject: Received: no\n\nb",
        b"Subject: s\r\nnot a header\r\nReturn-Path: <a@b>\r\n\r\nReceived: in the body\r\n",
        b"Delivered-To: a\rX-Original-To: b\rSubject: only CRs\r\rbody\r",
        b"From x@y Mon Nov 23 10:00:00 2026\nReceived: r\nSubject: s\n\nbody",
        b"Received: no body at all\r\nSubject: s\r\n",
        b"\r\n\r\nReceived: the header block is empty",
        b"",
        b"Subject: a\n\n\n\n",
    ]
    for data in samples:
        assert content_hash(data) == _line_by_line_hash(data), data[:60]
    relayed = b"Received: from relay\r\nDelivered-To: x\r\n" + raw(1) + b"\r\n\r\n"
    assert content_hash(relayed) == content_hash(raw(1))
