"""The outbox: receipts are automatic and capped, replies go by SMTP to a real relay, failures retry."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases.outbox import is_robot_address
from privbot.config import Config, RelayConfig
from privbot.db import session_scope
from privbot.mail.send import compose, deliver_due, enqueue, recover_interrupted
from privbot.mail.spool import spool
from privbot.models import OutgoingMail, OutStatus
from privbot.pipeline import Context, run
from tests.helpers import Catcher, free_port


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


def test_relay_delivery_to_a_real_smtp_server(
    engine: Engine, config: Config, relay: tuple[Catcher, int]
) -> None:
    catcher, port = relay
    cfg = replace(config, relay=RelayConfig(host="127.0.0.1", port=port))
    with session_scope(engine) as session:
        enqueue(
            session,
            compose(cfg, "jörg@bücher.example", "Jörg", "Svar [DS-2026-0001]", "Hej Jörg!\n"),
            None,
        )
        enqueue(
            session,
            compose(cfg, "anna@example.se", "Anna", "Svar [DS-2026-0002]", "Hej Anna!\n"),
            None,
        )
    assert deliver_due(engine, cfg) == 2
    got = catcher.wait(2)
    assert sorted(m["Subject"] for m in got) == ["Svar [DS-2026-0001]", "Svar [DS-2026-0002]"]
    assert ("dataskydd@it-team.se", ["anna@example.se"]) in catcher.envelopes


def test_unreachable_relay_backs_off_and_keeps_the_mail(engine: Engine, config: Config) -> None:
    cfg = replace(config, relay=RelayConfig(host="127.0.0.1", port=free_port()))
    with session_scope(engine) as session:
        enqueue(session, compose(cfg, "anna@example.se", "", "Svar", "Hej\n"), None)
    assert deliver_due(engine, cfg) == 0
    with Session(engine) as session:
        (out,) = session.exec(select(OutgoingMail)).all()
    assert (
        out.status == OutStatus.failed
        and out.attempts == 1
        and out.next_attempt_at > out.created_at
    )
    assert deliver_due(engine, cfg) == 0  # not due yet: no tight retry loop
    with Session(engine) as session:
        assert session.exec(select(OutgoingMail)).one().attempts == 1


def test_interrupted_send_is_not_repeated_blindly(engine: Engine, config: Config) -> None:
    with session_scope(engine) as session:
        out = enqueue(session, compose(config, "anna@example.se", "", "Svar", "Hej\n"), None)
        out.status = OutStatus.sending
        session.add(out)
    assert recover_interrupted(engine) == 1
    assert deliver_due(engine, config) == 0
    with Session(engine) as session:
        assert session.exec(select(OutgoingMail)).one().status == OutStatus.uncertain


def test_subject_with_line_breaks_cannot_inject_headers(config: Config) -> None:
    msg = compose(
        config,
        "anna@example.se",
        "Anna\r\nBcc: x@evil.example",
        "Hej\r\nBcc: victim@example.com",
        "text",
    )
    raw = msg.as_bytes()
    assert b"\nBcc:" not in raw
