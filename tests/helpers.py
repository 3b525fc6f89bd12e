"""Helpers the tests share (fixtures are in the conftest.py files): test data, a free loopback
port, the web app served by uvicorn in a thread, the SMTP catcher, a throwaway PostgreSQL
database, the environment of a `privbot` process polling Dovecot."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy
import uvicorn

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tests.dovecot import Dovecot

DATA = Path(__file__).parent / "data"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: FastAPI, port: int | None = None) -> Iterator[str]:
    """`app` under uvicorn in a thread on a loopback port; yields its base URL."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield "http://127.0.0.1:%d" % port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


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
