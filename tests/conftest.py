"""Shared fixtures: a fresh data directory and database per test, real servers on loopback.

SMTP: privbot's own aiosmtpd intake and an aiosmtpd relay that catches what privbot sends.
PostgreSQL: a throwaway cluster started once per session (skipped only where the server
binaries are absent; `.ci/run` installs them, so CI runs these tests).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine

from privbot.config import Config, load_config
from privbot.db import make_engine
from privbot.pipeline import Context

if TYPE_CHECKING:
    from tests.dovecot import Dovecot

DATA = Path(__file__).parent / "data"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def config(home: Path) -> Config:
    return load_config(env={"PRIVBOT_HOME": str(home)})


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    engine = make_engine(config.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def ctx(config: Config) -> Context:
    return Context.load(config)


class Catcher:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.raw: list[bytes] = []  # the bytes as received, for tests that parse them themselves
        self.mail_options: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        msg = message_from_bytes(raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.raw.append(raw)
        self.mail_options.append(list(envelope.mail_options))
        return "250 OK"

    def wait(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@contextmanager
def catching_relay(smtputf8: bool = True) -> Iterator[tuple[Catcher, int]]:
    """A real SMTP server on loopback that catches privbot's outgoing mail."""
    catcher = Catcher()
    port = free_port()
    controller = Controller(catcher, hostname="127.0.0.1", port=port, enable_SMTPUTF8=smtputf8)
    controller.start()
    try:
        yield catcher, port
    finally:
        controller.stop()


@pytest.fixture
def relay() -> Iterator[tuple[Catcher, int]]:
    """A relay that offers SMTPUTF8, as Postfix does."""
    with catching_relay(smtputf8=True) as found:
        yield found


@pytest.fixture
def ascii_relay() -> Iterator[tuple[Catcher, int]]:
    """A relay without SMTPUTF8 (an older or stricter server)."""
    with catching_relay(smtputf8=False) as found:
        yield found


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a loopback port, run as the postgres user."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not installed (.ci/run installs them)")
    root = Path(tempfile.mkdtemp(prefix="privbot-pg-"))
    os.chmod(root, 0o777)
    datadir, port = root / "data", free_port()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(
        [
            *as_pg,
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_pg,
            str(bindir / "pg_ctl"),
            "-D",
            str(datadir),
            "-l",
            str(root / "log"),
            "-w",
            "-o",
            "-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off" % (port, root),
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield "postgresql+psycopg://postgres@127.0.0.1:%d/postgres" % port
    finally:
        subprocess.run(
            [*as_pg, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    """A new, empty database in the throwaway cluster; dropped afterwards."""
    name = "t_%d_%d" % (os.getpid(), time.monotonic_ns())
    admin = sqlalchemy.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text("CREATE DATABASE %s" % name))
    try:
        yield base_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text("DROP DATABASE %s WITH (FORCE)" % name))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest, config: Config) -> Iterator[tuple[Engine, Config]]:
    """The same test on SQLite and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        engine = make_engine(config.database_url)
        yield engine, config
        engine.dispose()
        return
    with postgres_database(request.getfixturevalue("postgres_url")) as url:
        engine = make_engine(url)
        yield (
            engine,
            load_config(env={"PRIVBOT_HOME": str(config.home), "PRIVBOT_DATABASE_URL": url}),
        )
        engine.dispose()


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """A real Dovecot on a free loopback port, one user, mail in a temp directory (tests/dovecot.py)."""
    from tests.dovecot import Dovecot

    server = Dovecot()
    server.start()
    yield server
    server.cleanup()


def imap_env(server: Dovecot, home: Path, **extra: str) -> dict[str, str]:
    """Environment for a `privbot` process polling `server`."""
    return {
        "PRIVBOT_HOME": str(home),
        "PRIVBOT_IMAP_HOST": "127.0.0.1",
        "PRIVBOT_IMAP_PORT": str(server.port),
        "PRIVBOT_IMAP_TLS": "none",
        "PRIVBOT_IMAP_USER": server.user,
        "PRIVBOT_IMAP_PASSWORD": server.password,
        **extra,
    }
