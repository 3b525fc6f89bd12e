"""Attacks on the running parts: `privbot serve` as a process, the CLI as a subprocess, the SMTP
intake through smtplib and the web app under uvicorn."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.helpers import free_port

PRIVBOT = str(Path(sys.executable).with_name("privbot"))
T = TypeVar("T")


def message(
    sender: str,
    subject: str,
    body: str,
    message_id: str,
    to: str = "dataskydd@it-team.se",
    **headers: str,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg["Date"] = "Tue, 01 Dec 2026 10:00:00 +0100"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg


def smtp_send(port: int, msg: EmailMessage) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.send_message(msg, to_addrs=["dataskydd@it-team.se"])


def wait_for(check: Callable[[], T | None], timeout: float = 20.0) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met within %.0f s" % timeout)


def wait_db(engine: Engine, check: Callable[[Session], T | None], timeout: float = 20.0) -> T:
    def probe() -> T | None:
        with Session(engine) as session:
            return check(session)

    return wait_for(probe, timeout)


def cli(home: Path, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [PRIVBOT, *args],
        env={**os.environ, "PRIVBOT_HOME": str(home), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def staff_user(home: Path, name: str, role: str = "staff") -> None:
    """An active staff account made with the CLI, as `--as NAME` requires one."""
    secret = home.parent / ("%s.password" % name)
    secret.write_text("correct horse battery %s\n" % name)
    cli(home, "users", "add", name, "--role", role, "--password-file", str(secret))


@dataclass
class Served:
    home: Path
    smtp_port: int
    web_port: int
    process: subprocess.Popen[str]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start `privbot serve` as its own process (umask 022 unless told otherwise)."""
    started: list[Served] = []

    def start(home: Path | None = None, umask: int = 0o022, **env: str) -> Served:
        home = home or tmp_path / "served"
        smtp_port, web_port = free_port(), free_port()

        def preexec() -> Any:
            os.umask(umask)

        log = (tmp_path / ("serve-%d.log" % len(started))).open("w")
        process = subprocess.Popen(
            [PRIVBOT, "serve", "--smtp-port", str(smtp_port), "--web-port", str(web_port)],
            env={**os.environ, "PRIVBOT_HOME": str(home), **env},
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
            preexec_fn=preexec,
        )
        log.close()
        served = Served(home, smtp_port, web_port, process)
        started.append(served)

        def listening() -> bool:
            assert process.poll() is None, Path(log.name).read_text()
            try:
                with socket.create_connection(("127.0.0.1", web_port), timeout=1):
                    return True
            except OSError:
                return False

        wait_for(listening, 60)
        return served

    yield start
    for served in started:
        served.process.send_signal(signal.SIGINT)
        try:
            served.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait()
