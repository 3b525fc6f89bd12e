"""SMTP intake with aiosmtpd: accept mail for privbot's addresses and spool it durably.

`handle_RCPT` refuses other recipients (compared case-insensitively); `handle_DATA` spools the
raw bytes and answers `250` only after the commit, `451` when storing fails so the sending
server retries (aiosmtpd would answer a permanent `500`), `552` for oversized mail. Processing
is the pipeline's job, woken through `on_spooled`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.engine import Engine

from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.spool import spool

log = logging.getLogger(__name__)


class IntakeHandler:
    def __init__(
        self, engine: Engine, config: Config, on_spooled: Callable[[], None] = lambda: None
    ) -> None:
        self.engine = engine
        self.addresses = {a.lower() for a in config.addresses}
        self.max_bytes = config.max_message_bytes
        self.on_spooled = on_spooled

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address.lower() not in self.addresses:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes):
            raw = str(raw).encode("utf-8", "surrogateescape")
        if len(raw) > self.max_bytes:
            return "552 5.3.4 Message too big"
        try:
            with session_scope(self.engine) as db:
                entry, created = spool(
                    db, raw, "smtp", "peer=%s" % (session.peer[0] if session.peer else "")
                )
                entry_id = entry.id
        except Exception as exc:
            log.error("spooling failed (%s); answered 451", type(exc).__name__)
            return "451 4.3.0 Temporary failure storing the message, please retry"
        log.info("smtp accepted spool %s (new=%s)", entry_id, created)
        self.on_spooled()
        return "250 2.0.0 Message accepted"


class Intake:
    """The SMTP server on its own thread."""

    def __init__(
        self,
        engine: Engine,
        config: Config,
        port: int | None = None,
        on_spooled: Callable[[], None] = lambda: None,
    ) -> None:
        handler = IntakeHandler(engine, config, on_spooled)
        smtp_parameters: dict[str, Any] = {
            "data_size_limit": config.max_message_bytes,
            "decode_data": False,
            "enable_SMTPUTF8": True,
        }
        self.controller = Controller(
            handler,
            hostname=config.intake_host,
            port=config.intake_port if port is None else port,
            **smtp_parameters,
        )

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
