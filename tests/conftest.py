"""Shared fixtures: a fresh data directory and database per test, real servers on loopback.

SMTP: privbot's own aiosmtpd intake and an aiosmtpd relay that catches what privbot sends.
PostgreSQL: a throwaway cluster started once per session (skipped only where the server
binaries are absent; `.ci/run` installs them, so CI runs these tests).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine

from privbot.config import Config, load_config
from privbot.db import make_engine
from privbot.pipeline import Context
from tests.helpers import Catcher, free_port, postgres_database

if TYPE_CHECKING:
    from tests.dovecot import Dovecot


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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright, one per session; the test skips where either is absent
    (`.ci/run` installs both)."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
