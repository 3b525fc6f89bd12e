"""The outbox: composing privbot's mail and handing it to a transport, never losing or repeating it.

Only approved drafts and automatic notices (receipts) reach the outbox. With no relay configured
each message is written as an `.eml` file to `$PRIVBOT_HOME/outbox/` (write, fsync, rename);
with a relay it goes by SMTP. A message is marked `sending` and committed before the attempt:
one found `sending` after a crash becomes `uncertain` for staff, never resent blindly.
"""

from __future__ import annotations

import email.policy
import logging
import os
import random
import smtplib
import ssl
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.cases import lifecycle
from privbot.config import Config
from privbot.datadir import open_private, private_dir
from privbot.db import claimable, session_scope
from privbot.errors import SendError
from privbot.mail.parse import clean_header
from privbot.models import AuditEvent, Case, Draft, OutgoingMail, OutStatus, utcnow

log = logging.getLogger(__name__)
LOOP_HEADER = "X-Privbot-Loop"
MAX_ATTEMPTS = 8


def _address(addr: str, name: str = "") -> Address:
    local, _, domain = addr.rpartition("@")
    return Address(
        display_name=clean_header(name),
        username=local,
        domain=domain.encode("idna").decode("ascii") if not domain.isascii() else domain,
    )


def compose(
    config: Config,
    to_addr: str,
    to_name: str,
    subject: str,
    body: str,
    in_reply_to: str = "",
    references: tuple[str, ...] = (),
    automatic: bool = False,
    asks_reply: bool = False,
) -> EmailMessage:
    msg = EmailMessage()
    company = config.company.get("name", "")
    msg["From"] = _address(config.from_address, str(company))
    msg["To"] = _address(to_addr, to_name)
    msg["Subject"] = clean_header(subject)
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(
        domain=config.from_address.rpartition("@")[2] or "privbot.invalid"
    )
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = " ".join(
            (*[r for r in references if r != in_reply_to][-10:], in_reply_to)
        )
    msg[LOOP_HEADER] = config.from_address
    if automatic:
        msg["Auto-Submitted"] = "auto-replied"
        msg["X-Auto-Response-Suppress"] = "All"
        if not asks_reply:  # bulk is filtered and discourages replies: not for a mail that asks one
            msg["Precedence"] = "bulk"
    msg.set_content(body)
    return msg


def enqueue(
    session: Session,
    msg: EmailMessage,
    case_id: int | None,
    draft_id: int | None = None,
    automatic: bool = False,
) -> OutgoingMail:
    smtputf8 = not all(str(a).isascii() for a in (msg["To"], msg["From"]))
    raw = msg.as_bytes(policy=email.policy.default.clone(utf8=smtputf8))
    out = OutgoingMail(
        case_id=case_id,
        draft_id=draft_id,
        message_id=str(msg["Message-ID"]),
        to_addr=msg["To"].addresses[0].addr_spec.lower(),
        automatic=automatic,
        raw=raw,
    )
    session.add(out)
    session.flush()
    return out


def recover_interrupted(engine: Engine) -> int:
    """Mark sends interrupted by a crash as uncertain (for staff), returning how many."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(OutgoingMail).where(OutgoingMail.status == OutStatus.sending)
        ).all()
        for row in rows:
            row.status = OutStatus.uncertain
            row.last_error = (
                "interrupted while sending; check the recipient's copy before resending"
            )
            session.add(row)
        return len(rows)


def _transmit(config: Config, out: OutgoingMail) -> None:
    if config.relay is None:
        assert out.id is not None
        folder = config.outbox_dir
        private_dir(folder)
        final = folder / ("%06d.eml" % out.id)
        tmp = folder / (".%06d.eml.tmp" % out.id)
        with os.fdopen(open_private(tmp), "wb") as fh:  # 0600: it may carry a live identity code
            fh.write(out.raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        return
    relay = config.relay
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if relay.tls == "smtps":
        smtp = smtplib.SMTP_SSL(relay.host, relay.port, timeout=60, context=context)
    else:
        smtp = smtplib.SMTP(relay.host, relay.port, timeout=60)
    with smtp:
        smtp.ehlo()
        if relay.tls == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if relay.user:
            smtp.login(relay.user, relay.password)
        local, _, domain = out.to_addr.rpartition("@")
        recipient = "%s@%s" % (local, domain.encode("idna").decode("ascii"))
        options: list[str] = []
        if not local.isascii() or not out.raw.isascii():
            if smtp.has_extn("smtputf8"):
                options = ["SMTPUTF8"]
                smtp.command_encoding = "utf-8"
            elif not local.isascii():
                raise SendError(
                    "the relay does not support SMTPUTF8, needed for a non-ASCII address"
                )
        wire = out.raw.replace(b"\r\n", b"\n").replace(
            b"\n", b"\r\n"
        )  # SMTP lines end in CRLF (RFC 5321 2.3.8)
        smtp.sendmail(config.from_address, [recipient], wire, mail_options=options)


def deliver_due(engine: Engine, config: Config, limit: int = 50) -> int:
    """Send what is due; returns the number sent. Failures back off and are recorded."""
    sent = 0
    for _ in range(limit):
        with session_scope(engine) as session:
            query = (
                select(OutgoingMail)
                .where(
                    col(OutgoingMail.status).in_([OutStatus.queued, OutStatus.failed]),
                    OutgoingMail.next_attempt_at <= utcnow(),
                )
                .order_by(col(OutgoingMail.id))
                .limit(1)
            )
            out = session.exec(claimable(session, query)).first()
            if out is None:
                break
            out.status = OutStatus.sending
            out.attempts += 1
            session.add(out)
        try:
            _transmit(config, out)
        except Exception as exc:  # any transport failure is recorded and retried, never lost
            with session_scope(engine) as session:
                row = session.get(OutgoingMail, out.id)
                assert row is not None
                permanent = isinstance(exc, (SendError, UnicodeError)) or (
                    isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600
                )
                row.status = (
                    OutStatus.uncertain
                    if permanent or row.attempts >= MAX_ATTEMPTS
                    else OutStatus.failed
                )
                row.last_error = "%s %s" % (type(exc).__name__, getattr(exc, "smtp_code", ""))
                delay = min(3600.0, 30.0 * 2**row.attempts) * (0.5 + random.random())
                row.next_attempt_at = utcnow() + timedelta(seconds=delay)
                session.add(row)
            log.warning(
                "outgoing %s failed (%s), attempt %d", out.id, type(exc).__name__, out.attempts
            )
            continue
        with session_scope(engine) as session:
            row = session.get(OutgoingMail, out.id)
            assert row is not None
            row.status = OutStatus.sent
            row.sent_at = utcnow()
            session.add(row)
            case = session.get(Case, row.case_id) if row.case_id else None
            if case is not None:
                if not row.automatic:
                    draft = session.get(Draft, row.draft_id) if row.draft_id else None
                    lifecycle.reply_sent(session, case, draft.template if draft else "reply")
                action = "notice_sent" if row.automatic else "reply_sent"
                session.add(AuditEvent(case_id=case.id, action=action, detail={"outgoing": row.id}))
        log.debug("outgoing %s sent (case %s)", out.id, out.case_id)
        sent += 1
    return sent


def outbox_files(config: Config) -> list[Path]:
    return sorted(config.outbox_dir.glob("*.eml")) if config.outbox_dir.exists() else []
