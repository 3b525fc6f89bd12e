"""The poller's loop against a real Dovecot: IDLE, polling, server restarts, dead connections, bad passwords."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from privbot.config import Config
from privbot.mail.watch import Backoff, Watcher
from privbot.models import Case, SpoolEntry
from privbot.service import Service
from tests.dovecot import Dovecot
from tests.helpers import free_port, imap_env
from tests.mail.helpers import imap_config, poller, request

FAST = Backoff(base=0.2, cap=1.0)


def spooled(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(SpoolEntry)).one())


def wait_until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met within %.0f s" % timeout)


@contextmanager
def watching(engine: Engine, config: Config, process: bool = True) -> Iterator[Watcher]:
    stopping = threading.Event()
    watcher = Watcher(poller(engine, config, process=process), stopping, backoff=FAST)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        yield watcher
    finally:
        stopping.set()
        thread.join(timeout=30)
        assert not thread.is_alive()


def test_idle_takes_new_mail_at_once(dovecot: Dovecot, engine: Engine, config: Config) -> None:
    config = imap_config(dovecot, config, poll_interval=60)
    with watching(engine, config) as watcher:
        wait_until(lambda: watcher.cycles >= 1)
        assert watcher.poller.can_idle
        started = time.monotonic()
        dovecot.append([request(1)])
        wait_until(lambda: dovecot.count("privbot/processed") == 1, timeout=10)
        assert time.monotonic() - started < 5  # IDLE, not the 60 s timer
    assert spooled(engine) == 1


def test_without_idle_the_timer_polls(engine: Engine, config: Config) -> None:
    server = Dovecot(capability="IMAP4rev1 LITERAL+ SASL-IR NAMESPACE UIDPLUS MOVE MULTIAPPEND")
    server.start()
    try:
        with watching(engine, imap_config(server, config, poll_interval=0.3)) as watcher:
            wait_until(lambda: watcher.cycles >= 1)
            assert not watcher.poller.can_idle
            server.append([request(1), request(2)])
            wait_until(lambda: server.count("privbot/processed") == 2, timeout=10)
    finally:
        server.cleanup()


def test_server_restart_during_a_run_reconnects_and_finishes(
    dovecot: Dovecot, engine: Engine, config: Config
) -> None:
    total = 400
    dovecot.append(request(i) for i in range(total))
    config = imap_config(dovecot, config, batch_size=10, move_batch=20, poll_interval=0.5)
    with watching(engine, config):
        wait_until(lambda: spooled(engine) >= 30)
        assert spooled(engine) < total  # the restart falls in the middle of the run
        dovecot.stop()
        time.sleep(1.0)
        dovecot.start()
        wait_until(lambda: dovecot.count("INBOX") == 0, timeout=60)
    with Session(engine) as session:
        ids = Counter(session.exec(select(SpoolEntry.message_id)).all())
        assert len(ids) == total and set(ids.values()) == {1}
    # A MOVE cut short by the server's own shutdown may leave a copy twice in the folder; the
    # spool, which is privbot's record, holds each message exactly once (above).
    moved = {
        m.split(b"Message-ID: ", 1)[1].split(b"\r\n", 1)[0]
        for m in dovecot.messages("privbot/processed").values()
    }
    assert len(moved) == total


def test_poll_once_rides_out_a_server_restart(
    dovecot: Dovecot, home: Path, tmp_path: Path, engine: Engine
) -> None:
    # enough mail that the poller is still busy when the graceful stop (about 1 s) ends
    total = 1200
    dovecot.append(request(i) for i in range(total))
    config_file = tmp_path / "privbot.toml"
    config_file.write_text(
        "[imap]\nbatch_size = 10\nmove_batch = 20\n"
    )  # the connection is busy all the run
    env = {**os.environ, **imap_env(dovecot, home, PRIVBOT_CONFIG=str(config_file))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "privbot", "poll", "--once", "--retry-for", "60"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: spooled(engine) >= 20, timeout=60)
        assert spooled(engine) < total
        dovecot.stop()
        time.sleep(1.5)
        dovecot.start()
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "retrying in" in err
    assert spooled(engine) == total and dovecot.count("INBOX") == 0


def test_a_silent_dead_connection_is_noticed_and_replaced(
    dovecot: Dovecot, engine: Engine, config: Config
) -> None:
    config = imap_config(dovecot, config, poll_interval=1.0, timeout=2.0)
    stopped: list[int] = []
    try:
        with watching(engine, config) as watcher:
            wait_until(lambda: watcher.cycles >= 1 and len(dovecot.imap_processes()) == 1)
            # The server process freezes: the TCP connection stays open, nothing more is said.
            stopped = dovecot.imap_processes()
            os.kill(stopped[0], signal.SIGSTOP)
            dovecot.append([request(1)])
            wait_until(lambda: spooled(engine) == 1, timeout=20)
    finally:
        for pid in stopped:
            os.kill(pid, signal.SIGKILL)
            os.kill(pid, signal.SIGCONT)


def test_wrong_password_in_the_loop_is_a_slow_retry_not_a_tight_loop(
    dovecot: Dovecot, engine: Engine, config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    config = imap_config(dovecot, config, password="wrong", login_retry=900)
    with watching(engine, config) as watcher:
        wait_until(lambda: watcher.login_failures == 1)
        time.sleep(2.0)
        assert watcher.login_failures == 1
    errors = [
        r
        for r in caplog.records
        if r.levelname == "ERROR" and "refused the login" in r.getMessage()
    ]
    assert len(errors) == 1 and "wrong" not in errors[0].getMessage()


def test_serve_starts_the_poller_when_imap_is_configured(dovecot: Dovecot, config: Config) -> None:
    dovecot.append([request(1)])
    config = imap_config(dovecot, config, poll_interval=0.5)
    service = Service(config, smtp_port=free_port(), interval=0.2)
    service.start()
    try:
        assert len(service.watchers) == 1
        wait_until(lambda: dovecot.count("privbot/processed") == 1)
        with Session(service.engine) as session:
            assert len(session.exec(select(Case)).all()) == 1
    finally:
        service.stop()


def test_serve_without_imap_host_has_no_poller(config: Config) -> None:
    service = Service(replace(config, imap=replace(config.imap, host="")), smtp_port=free_port())
    service.start()
    try:
        assert service.watchers == []
    finally:
        service.stop()


def test_a_connection_dropped_during_login_is_not_a_wrong_password(config: Config) -> None:
    # A server shutting down answers LOGIN by closing the connection; imapclient calls that a
    # LoginError too, but waiting `login_retry` (15 minutes) for it would be wrong.
    import socket

    from privbot.errors import MailboxError, MailboxLoginError
    from privbot.mail.imap_connect import connect

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve_one() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.sendall(b"* OK ready\r\n")
            tag = conn.recv(1000).split()[0]  # CAPABILITY
            conn.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
            assert b"LOGIN" in conn.recv(1000)  # and then the server goes away

    thread = threading.Thread(target=serve_one, daemon=True)
    thread.start()
    try:
        with pytest.raises(MailboxError) as caught:
            connect(
                replace(
                    config.imap,
                    host="127.0.0.1",
                    port=port,
                    tls="none",
                    user="u",
                    password="p",
                    timeout=5,
                )
            )
        assert not isinstance(caught.value, MailboxLoginError)
    finally:
        thread.join(timeout=5)
        listener.close()
