"""The SMTP intake on a real aiosmtpd server: recipients, size limit, 250 only after commit, 451."""

from __future__ import annotations

import smtplib
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from privbot.config import Config
from privbot.db import make_engine
from privbot.mail.smtp import Intake
from privbot.models import SpoolEntry
from tests.helpers import free_port

MESSAGE = b"From: a@example.se\r\nTo: dataskydd@it-team.se\r\nSubject: Radera\r\nMessage-ID: <s1@example.se>\r\n\r\nRadera mig.\r\n"


@pytest.fixture
def intake(engine: Engine, config: Config) -> Iterator[Intake]:
    server = Intake(engine, config, port=free_port())
    server.start()
    yield server
    server.stop()


def count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(SpoolEntry)).one())


def test_recipients_are_compared_case_insensitively(intake: Intake, engine: Engine) -> None:
    with smtplib.SMTP("127.0.0.1", intake.port) as smtp:
        smtp.sendmail("a@example.se", ["DataSkydd@IT-team.se"], MESSAGE)
    assert count(engine) == 1


def test_other_recipients_are_refused(intake: Intake, engine: Engine) -> None:
    with smtplib.SMTP("127.0.0.1", intake.port) as smtp:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            smtp.sendmail("a@example.se", ["ceo@it-team.se"], MESSAGE)
    assert refused.value.recipients["ceo@it-team.se"][0] == 550
    assert count(engine) == 0


def test_oversized_mail_gets_552(engine: Engine, config: Config) -> None:
    server = Intake(engine, replace(config, max_message_bytes=10_000), port=free_port())
    server.start()
    try:
        with smtplib.SMTP("127.0.0.1", server.port) as smtp:
            with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as err:
                smtp.sendmail(
                    "a@example.se", ["dataskydd@it-team.se"], MESSAGE + b"x" * 20_000 + b"\r\n"
                )
        assert err.value.smtp_code == 552
    finally:
        server.stop()
    assert count(engine) == 0


def test_storage_failure_answers_451_so_the_sender_retries(config: Config, tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = make_engine("sqlite:///%s" % (tmp_path / "db.sqlite"))
    with broken.begin() as conn:
        conn.exec_driver_sql("DROP TABLE spoolentry")
    server = Intake(broken, config, port=free_port())
    server.start()
    try:
        with smtplib.SMTP("127.0.0.1", server.port) as smtp:
            with pytest.raises(smtplib.SMTPDataError) as err:
                smtp.sendmail("a@example.se", ["dataskydd@it-team.se"], MESSAGE)
        assert err.value.smtp_code == 451
    finally:
        server.stop()
        broken.dispose()


def test_same_message_twice_is_stored_once(intake: Intake, engine: Engine) -> None:
    with smtplib.SMTP("127.0.0.1", intake.port) as smtp:
        smtp.sendmail("a@example.se", ["dataskydd@it-team.se"], MESSAGE)
        smtp.sendmail(
            "a@example.se",
            ["dataskydd@it-team.se"],
            b"Received: from x by y; Thu, 26 Nov 2026 10:00:00 +0100\r\n" + MESSAGE,
        )
    assert count(engine) == 1


def test_message_without_message_id_relayed_twice_is_stored_once(
    intake: Intake, engine: Engine
) -> None:
    bare = MESSAGE.replace(b"Message-ID: <s1@example.se>\r\n", b"")
    with smtplib.SMTP("127.0.0.1", intake.port) as smtp:
        smtp.sendmail(
            "a@example.se",
            ["dataskydd@it-team.se"],
            b"Received: from a by b; Thu, 26 Nov 2026 10:00:00 +0100\r\n" + bare,
        )
        smtp.sendmail(
            "a@example.se",
            ["dataskydd@it-team.se"],
            b"Received: from c by d; Thu, 26 Nov 2026 10:05:00 +0100\r\n" + bare,
        )
    assert count(engine) == 1


def message(n: int) -> bytes:
    return MESSAGE.replace(b"<s1@example.se>", b"<lock-%d@example.se>" % n)


def test_a_locked_database_never_stalls_the_greeting_and_answers_451_at_once(
    engine: Engine, config: Config
) -> None:
    """A CLI `ingest` or `purge` holds SQLite's write lock: every connection still gets its
    220, every message a 451 (not a timeout), and a connection opened while another waits on
    the lock is greeted before that one is answered. Once the lock is gone, mail is taken."""
    server = Intake(engine, replace(config, intake_store_timeout=2.0), port=free_port())
    server.start()
    locker = sqlite3.connect(config.database_url.removeprefix("sqlite:///"), isolation_level=None)
    events: list[str] = []
    greetings: list[float] = []
    codes: list[int] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", server.port, timeout=60) as smtp:  # generous
            with lock:
                greetings.append(time.perf_counter() - started)
                events.append("greeted %d" % n)
            try:
                smtp.sendmail("a@example.se", ["dataskydd@it-team.se"], message(n))
                code = 250
            except smtplib.SMTPDataError as exc:
                code = exc.smtp_code
            with lock:
                codes.append(code)
                events.append("answered %d" % n)

    try:
        locker.execute("BEGIN IMMEDIATE")  # the write lock, as a running `privbot ingest` has it
        first = threading.Thread(target=client, args=(0,))
        first.start()
        deadline = time.monotonic() + 30
        while "greeted 0" not in events and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # the first client is now in DATA, waiting on the lock
        others = [threading.Thread(target=client, args=(n,)) for n in range(1, 10)]
        for thread in others:
            thread.start()
        for thread in [first, *others]:
            thread.join(timeout=90)
        assert events.index("greeted 1") < events.index("answered 0")
        assert sorted(codes) == [451] * 10
        assert count(engine) == 0
        locker.execute("ROLLBACK")
        with smtplib.SMTP("127.0.0.1", server.port, timeout=60) as smtp:
            for n in range(10):  # the sending servers retry
                smtp.sendmail("a@example.se", ["dataskydd@it-team.se"], message(n))
        assert count(engine) == 10
    finally:
        locker.close()
        server.stop()
    print(
        "greeting while locked: max %.3f s over %d connections" % (max(greetings), len(greetings))
    )
