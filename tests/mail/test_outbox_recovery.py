"""A failed outbox write never leaves mail stuck in `sending` or a stray `.tmp` behind, even
when recording the failure fails too; the running process recovers without a restart."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot.cases import outbox
from privbot.config import Config
from privbot.db import make_engine, session_scope
from privbot.mail.send import compose, enqueue, outbox_files
from privbot.models import OutgoingMail, OutStatus, utcnow


def queue_one(engine: Engine, config: Config, body: str = "Hej Anna,\n\nSvar.\n") -> int:
    with session_scope(engine) as session:
        out = enqueue(session, compose(config, "anna@example.se", "Anna", "Svar", body), None)
        session.flush()  # written when the session flushes
        assert out.id is not None
        return out.id


def row(engine: Engine, out_id: int) -> OutgoingMail:
    with Session(engine) as session:
        found = session.get(OutgoingMail, out_id)
        assert found is not None
        return found


def due_now(engine: Engine, out_id: int) -> None:
    with session_scope(engine) as session:
        found = session.get(OutgoingMail, out_id)
        assert found is not None
        found.next_attempt_at = utcnow()
        session.add(found)


def strays(config: Config) -> list[str]:
    return sorted(p.name for p in config.outbox_dir.glob(".*.tmp"))


@pytest.fixture
def full_outbox(config: Config) -> Iterator[Path]:
    """The outbox on a 64 KiB tmpfs (filled by the test with `fill`): a real full disk."""
    folder = config.outbox_dir
    folder.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root): %s" % mounted.stderr.decode()[:200])
    try:
        yield folder / "filler"
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(path: Path) -> None:
    """Write zeros to `path` until the file system is full."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def test_a_full_disk_fails_the_send_cleanly_and_it_goes_once_there_is_room(
    engine: Engine, config: Config, full_outbox: Path
) -> None:
    out_id = queue_one(engine, config, "Hej Anna,\n\n" + "Svar. " * 4000 + "\n")
    stray = config.outbox_dir / ".000099.eml.tmp"  # left by an earlier crash
    stray.write_bytes(b"")
    os.utime(stray, (time.time() - 3600,) * 2)
    fill(full_outbox)
    assert outbox.deliver(engine, config) == 0
    failed = row(engine, out_id)
    assert failed.status == OutStatus.failed and "No space left" in failed.last_error
    assert strays(config) == [] and outbox_files(config) == []
    full_outbox.unlink()  # room again
    due_now(engine, out_id)
    assert outbox.deliver(engine, config) == 1
    assert row(engine, out_id).status == OutStatus.sent
    assert [p.name for p in outbox_files(config)] == ["%06d.eml" % out_id]


def short_lock_waits(engine: Engine) -> None:
    """This test's engine waits 0.3 s for SQLite's lock (configuration, as a busy system's
    would be), so a held lock makes a commit fail quickly."""

    def pragma(dbapi_conn: sqlite3.Connection, *_: object) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=300")

    event.listen(engine, "connect", pragma)
    event.listen(engine, "checkout", pragma)


def test_when_the_failure_cannot_be_recorded_either_the_process_recovers_it(
    config: Config,
) -> None:
    """The write fails (a reader that hangs up: EPIPE at the write boundary) while the database
    refuses the failure's commit (another process holds the write lock). The row is left
    `sending` only until the next round in the same process, and no `.tmp` stays."""
    engine = make_engine(config.database_url)
    short_lock_waits(engine)
    out_id = queue_one(engine, config)
    config.outbox_dir.mkdir(parents=True, exist_ok=True)
    tmp = config.outbox_dir / (".%06d.eml.tmp" % out_id)
    os.mkfifo(tmp)  # the writer blocks on open until the test is ready
    locker = sqlite3.connect(config.database_url.removeprefix("sqlite:///"), isolation_level=None)
    sender = threading.Thread(target=outbox.deliver, args=(engine, config))
    try:
        sender.start()
        deadline = time.monotonic() + 30
        while row(engine, out_id).status != OutStatus.sending:
            assert time.monotonic() < deadline, "the send was never claimed"
            time.sleep(0.02)
        locker.execute("BEGIN IMMEDIATE")  # a CLI purge takes the write lock
        reader = os.open(tmp, os.O_RDONLY | os.O_NONBLOCK)
        os.close(reader)  # ... and the write fails
        sender.join(timeout=60)
        assert not sender.is_alive()
        assert row(engine, out_id).status == OutStatus.sending  # the failure is not written yet
        assert strays(config) == []
        locker.execute("ROLLBACK")
        assert outbox.deliver(engine, config) == 0  # the next round writes the failure first
        recorded = row(engine, out_id)
        # EPIPE on the write, or EINVAL on the fsync if the write got into the pipe first
        assert recorded.status == OutStatus.failed and "Errno" in recorded.last_error
        due_now(engine, out_id)
        assert outbox.deliver(engine, config) == 1
        assert row(engine, out_id).status == OutStatus.sent
    finally:
        locker.close()
        engine.dispose()


def test_a_send_left_sending_by_a_dead_process_is_recovered_without_a_restart(
    engine: Engine, config: Config
) -> None:
    out_id = queue_one(engine, config)
    with session_scope(engine) as session:  # claimed by a process that died, lease expired
        found = session.get(OutgoingMail, out_id)
        assert found is not None
        found.status, found.next_attempt_at = OutStatus.sending, utcnow()
        session.add(found)
    config.outbox_dir.mkdir(parents=True)
    left = config.outbox_dir / (".%06d.eml.tmp" % out_id)
    left.write_bytes(b"")  # its 0-byte .tmp
    os.utime(left, (time.time() - 3600,) * 2)
    assert outbox.deliver(engine, config) == 1  # the file transport knows nothing went: retried
    assert row(engine, out_id).status == OutStatus.sent
    assert strays(config) == [] and len(outbox_files(config)) == 1
