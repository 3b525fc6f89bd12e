"""The outbox door: automatic notices are capped per address a day and never go to robots."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases.outbox import is_robot_address
from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.spool import spool
from privbot.models import OutgoingMail
from privbot.pipeline import Context, run


def request(n: int, sender: str = "eva@example.se") -> bytes:
    return (
        "From: Eva <%s>\r\nTo: dataskydd@it-team.se\r\nSubject: Radera mig %d\r\nMessage-ID: <cap-%d@example.se>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nJag vill att ni raderar mina uppgifter, fråga %d.\r\n"
        % (sender, n, n, n)
    ).encode()


def test_receipts_are_capped_per_sender_per_day(
    engine: Engine, ctx: Context, config: Config
) -> None:
    with session_scope(engine) as session:
        for n in range(5):
            spool(session, request(n), "file")
    run(engine, ctx)
    with Session(engine) as session:
        receipts = session.exec(select(OutgoingMail).where(OutgoingMail.automatic == True)).all()  # noqa: E712
    assert len(receipts) == config.receipt_daily_cap == 3


def test_no_receipt_to_robot_addresses(engine: Engine, ctx: Context) -> None:
    with session_scope(engine) as session:
        spool(session, request(1, "noreply@shop.example"), "file")
    run(engine, ctx)
    with Session(engine) as session:
        assert session.exec(select(OutgoingMail)).all() == []
    for addr in (
        "no-reply@x.se",
        "MAILER-DAEMON@x.se",
        "donotreply@x.se",
        "list-bounces@x.se",
        "postmaster@x.se",
    ):
        assert is_robot_address(addr)
    assert not is_robot_address("anna.noreplyson@example.se")
