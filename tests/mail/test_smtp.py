"""The SMTP intake on a real aiosmtpd server: recipients, size limit, 250 only after commit, 451."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator

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
    from dataclasses import replace

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
