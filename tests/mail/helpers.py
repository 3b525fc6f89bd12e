"""What the IMAP tests share: distinct plausible requests, an IMAP config for a test Dovecot, and
a poller that runs the pipeline after each cycle."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Engine

from privbot.config import Config, ImapConfig
from privbot.mail.imap import Poller
from privbot.pipeline import Context, run
from tests.dovecot import Dovecot

REQUESTS = [
    (
        "sv",
        "Radera mig",
        "Hej,\n\njag vill att ni raderar alla personuppgifter ni har om mig.\n\nMvh\n{name}",
    ),
    (
        "sv",
        "Registerutdrag",
        "Hej!\n\nJag begär ett registerutdrag enligt artikel 15, alltså en kopia av mina uppgifter.\n\n{name}",
    ),
    ("sv", "Avregistrera", "Sluta skicka nyhetsbrev och reklam till mig, tack.\n\n{name}"),
    (
        "en",
        "My data",
        "Hello,\n\nplease send me a copy of all personal data you hold about me.\n\nRegards,\n{name}",
    ),
    (
        "en",
        "Delete my account",
        "Hi,\n\nplease delete my account and erase my personal data.\n\n{name}",
    ),
]


def request(index: int, domain: str = "example.se") -> bytes:
    """A distinct, plausible request: its own sender and Message-ID."""
    _, subject, body = REQUESTS[index % len(REQUESTS)]
    name = "Person %d" % index
    return (
        "From: %s <person%d@%s>\r\nTo: dataskydd@it-team.se\r\nSubject: %s (%d)\r\nMessage-ID: <req-%d@%s>\r\n"
        "Date: Thu, 26 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n"
        % (
            name,
            index,
            domain,
            subject,
            index,
            index,
            domain,
            body.format(name=name).replace("\n", "\r\n"),
        )
    ).encode()


def imap_config(server: Dovecot, config: Config, **changes: object) -> Config:
    cfg = ImapConfig(
        host="127.0.0.1",
        port=server.port,
        tls="none",
        user=server.user,
        password=server.password,
        timeout=10,
    )
    return replace(config, imap=replace(cfg, **changes))  # type: ignore[arg-type]


def poller(engine: Engine, config: Config, process: bool = True) -> Poller:
    ctx = Context.load(config) if process else None
    return Poller(
        engine,
        config.imap,
        config.max_message_bytes,
        process=(lambda: run(engine, ctx, limit=10**9)) if ctx else None,
    )
