"""The transport: replies go by SMTP to a real relay, failures back off and retry, an interrupted
send is never repeated blindly, headers cannot be injected."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.config import Config, RelayConfig
from privbot.db import session_scope
from privbot.mail.send import compose, deliver_due, enqueue, recover_interrupted
from privbot.models import OutgoingMail, OutStatus
from tests.helpers import Catcher, free_port


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
