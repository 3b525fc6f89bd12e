"""SMTP intake with aiosmtpd: accept mail for privbot's addresses and spool it durably.

`handle_RCPT` refuses other recipients (compared case-insensitively); `handle_DATA` spools the
raw bytes and answers `250` only after the commit, `451` when storing fails so the sending
server retries (aiosmtpd would answer a permanent `500`), `552` for oversized mail. Processing
is the pipeline's job, woken through `on_spooled`.

The database write runs on a small thread pool, never on aiosmtpd's event loop, and waits for a
lock at most `[intake] store_timeout` seconds: while a CLI `ingest` or `purge` holds SQLite's
write lock, new connections still get their 220 greeting at once and each message a prompt 451.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.engine import Engine

from privbot import mailboxes
from privbot.config import Config
from privbot.db import lock_wait, session_scope
from privbot.mail.spool import spool

log = logging.getLogger(__name__)


class IntakeHandler:
    def __init__(
        self, engine: Engine, config: Config, on_spooled: Callable[[], None] = lambda: None
    ) -> None:
        self.engine = engine
        self.config = config
        self.addresses = {a.lower() for a in config.addresses}
        self.max_bytes = config.max_message_bytes
        self.on_spooled = on_spooled
        self.store_timeout = config.intake_store_timeout
        self.executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="privbot-intake")

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
        peer = session.peer[0] if session.peer else ""
        loop = asyncio.get_running_loop()
        try:
            entry_id, created = await asyncio.wait_for(
                loop.run_in_executor(
                    self.executor,
                    self._store,
                    raw,
                    peer,
                    mailboxes.for_recipients(self.config, envelope.rcpt_tos).key,
                ),
                timeout=self.store_timeout + 5.0,  # the lock wait is bounded; this bounds the rest
            )
        except Exception as exc:  # a locked or failing database: the sender retries later
            log.error("spooling failed (%s); answered 451", type(exc).__name__)
            return "451 4.3.0 Temporary failure storing the message, please retry"
        log.info("smtp accepted spool %s (new=%s)", entry_id, created)
        self.on_spooled()
        return "250 2.0.0 Message accepted"

    def _store(self, raw: bytes, peer: str, mailbox: str) -> tuple[int | None, bool]:
        """On a pool thread: spool and commit, waiting for a lock at most `store_timeout`."""
        with session_scope(self.engine) as db:
            lock_wait(db, self.store_timeout)
            entry, created = spool(db, raw, "smtp", "peer=%s" % peer, mailbox=mailbox)
            return entry.id, created


class Intake:
    """The SMTP server on its own thread."""

    def __init__(
        self,
        engine: Engine,
        config: Config,
        port: int | None = None,
        on_spooled: Callable[[], None] = lambda: None,
    ) -> None:
        self.handler = handler = IntakeHandler(engine, config, on_spooled)
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
        self.handler.executor.shutdown(wait=True)
