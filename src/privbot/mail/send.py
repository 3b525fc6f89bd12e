"""The outbox: composing privbot's mail and handing it to a transport, never losing or repeating it.

Only approved drafts and automatic notices (receipts) reach the outbox. With no relay configured
each message is written as an `.eml` file to `$PRIVBOT_HOME/outbox/` (write, fsync, rename);
with a relay it goes by SMTP. A message is marked `sending` and committed before the attempt:
one found `sending` after a crash becomes `uncertain` for staff, never resent blindly.
"""

from __future__ import annotations

import logging
import os
import random
import smtplib
import ssl
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.cases import lifecycle
from privbot.config import Config
from privbot.db import claimable, session_scope
from privbot.errors import SendError
from privbot.mail.headers import OUTGOING, address, msg_ids, needs_smtputf8, one_line
from privbot.mail.headers import references as thread_references
from privbot.models import AuditEvent, Case, Draft, OutgoingMail, OutStatus, utcnow

log = logging.getLogger(__name__)
LOOP_HEADER = "X-Privbot-Loop"
MAX_ATTEMPTS = 8


def compose(
    config: Config,
    to_addr: str,
    to_name: str,
    subject: str,
    body: str,
    in_reply_to: str = "",
    references: tuple[str, ...] = (),
    automatic: bool = False,
) -> EmailMessage:
    """A message from privbot to one person; names and subject are sanitised (mail/headers.py)."""
    msg = EmailMessage(policy=OUTGOING)
    company = config.company.get("name", "")
    sender = address(config.from_address, str(company))
    msg["From"] = sender
    msg["To"] = address(to_addr, to_name)
    msg["Subject"] = one_line(subject)
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=sender.domain or "privbot.invalid")
    (parent,) = msg_ids([in_reply_to])[:1] or ("",)
    if parent:
        msg["In-Reply-To"] = parent
        msg["References"] = thread_references(references, parent)
    msg[LOOP_HEADER] = sender.addr_spec
    if automatic:
        msg["Auto-Submitted"] = "auto-replied"
        msg["X-Auto-Response-Suppress"] = "All"
        msg["Precedence"] = "bulk"
    # Quoted-printable keeps the message 7-bit: no 8BITMIME or SMTPUTF8 needed for the text.
    msg.set_content(body, cte=None if body.isascii() else "quoted-printable")
    return msg


def wire_bytes(msg: EmailMessage) -> bytes:
    """The bytes privbot hands to the relay: 7-bit with RFC 2047 names and subject, unless an
    address is not ASCII (then UTF-8 headers, sent only to a relay that offers SMTPUTF8)."""
    utf8 = needs_smtputf8((*msg["To"].addresses, *msg["From"].addresses))
    return msg.as_bytes(policy=OUTGOING.clone(utf8=utf8))


def enqueue(
    session: Session,
    msg: EmailMessage,
    case_id: int | None,
    draft_id: int | None = None,
    automatic: bool = False,
) -> OutgoingMail:
    recipients = msg["To"].addresses
    raw = wire_bytes(msg)
    out = OutgoingMail(
        case_id=case_id,
        draft_id=draft_id,
        message_id=str(msg["Message-ID"]),
        to_addr=recipients[0].addr_spec.lower(),
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
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / ("%06d.eml" % out.id)
        tmp = folder / (".%06d.eml.tmp" % out.id)
        with tmp.open("wb") as fh:
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
        recipient = out.to_addr
        sender = config.from_address
        options: list[str] = []
        if not (out.raw.isascii() and recipient.isascii() and sender.isascii()):
            # Only a non-ASCII address makes privbot write UTF-8 headers (mail/headers.py).
            if not smtp.has_extn("smtputf8"):
                raise SendError(
                    "the relay does not offer SMTPUTF8, which the non-ASCII address %s needs"
                    % recipient
                )
            options = ["SMTPUTF8", "BODY=8BITMIME"] if smtp.has_extn("8bitmime") else ["SMTPUTF8"]
            smtp.command_encoding = "utf-8"
        wire = out.raw.replace(b"\r\n", b"\n").replace(
            b"\n", b"\r\n"
        )  # SMTP lines end in CRLF (RFC 5321 2.3.8)
        smtp.sendmail(sender, [recipient], wire, mail_options=options)


def _describe(exc: Exception) -> str:
    """What went wrong, for staff: the relay's answer or privbot's reason, without a traceback."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return ("relay answered %s %s" % (exc.smtp_code, text))[:500]
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return ("relay refused the recipient: %s" % exc.recipients)[:500]
    detail = str(exc)
    return ("%s: %s" % (type(exc).__name__, detail) if detail else type(exc).__name__)[:500]


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
                row.last_error = _describe(exc)
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
