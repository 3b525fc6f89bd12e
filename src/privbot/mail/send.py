"""The outbox: composing privbot's mail and handing it to a transport, never losing or repeating it.

Only approved drafts and automatic notices (receipts) reach the outbox. With no relay configured
each message is written as an `.eml` file to `$PRIVBOT_HOME/outbox/` (write, fsync, rename);
with a relay it goes by SMTP. A message is marked `sending` and committed before the attempt:
one found `sending` after a crash becomes `uncertain` for staff, never resent blindly.

This module knows no case: what a sent or undelivered message means for its case is the
caller's `Outcomes` (`cases/outbox.py`, the one door callers use).
"""

from __future__ import annotations

import logging
import os
import random
import smtplib
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.config import Config
from privbot.datadir import open_private, private_dir
from privbot.db import claimable, session_scope
from privbot.errors import SendError
from privbot.mail.bounces import envelope_id, mark_bounced
from privbot.mail.headers import OUTGOING, address, msg_ids, needs_smtputf8, one_line
from privbot.mail.headers import references as thread_references
from privbot.models import OutgoingMail, OutStatus, built, utcnow

log = logging.getLogger(__name__)
LOOP_HEADER = "X-Privbot-Loop"
MAX_ATTEMPTS = 8
SENDING_LEASE = timedelta(minutes=10)  # longer than any SMTP conversation (60 s timeouts)


def _nothing(session: Session, row: OutgoingMail) -> None:
    return None


def _bounced(session: Session, row: OutgoingMail, reason: str) -> None:
    mark_bounced(session, row, reason)


@dataclass(frozen=True)
class Outcomes:
    """What a sent message, and one that will not arrive, mean beyond the outbox row; each runs
    in the transaction that records the outcome. `undelivered` marks the row (`mail.bounces`)."""

    sent: Callable[[Session, OutgoingMail], None] = _nothing
    undelivered: Callable[[Session, OutgoingMail, str], None] = _bounced


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
    mailbox: str = "",
) -> EmailMessage:
    """A message from privbot to one person, sent from `mailbox` (a case's; the default one
    when empty) in its company's name; names and subject are sanitised (mail/headers.py)."""
    msg = EmailMessage(policy=OUTGOING)
    box = config.mailbox(mailbox) if mailbox else config.default_mailbox
    sender = address(box.from_address, str(box.company.get("name", "")))
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
        if not asks_reply:  # bulk is filtered and discourages replies: not for a mail that asks one
            msg["Precedence"] = "bulk"
    # Quoted-printable keeps the message 7-bit: no 8BITMIME or SMTPUTF8 needed for the text.
    msg.set_content(body, cte=None if body.isascii() else "quoted-printable")
    return msg


_OUTGOING_UTF8 = OUTGOING.clone(utf8=True)


def wire_bytes(msg: EmailMessage) -> bytes:
    """The bytes privbot hands to the relay: 7-bit with RFC 2047 names and subject, unless an
    address is not ASCII (then UTF-8 headers, sent only to a relay that offers SMTPUTF8)."""
    utf8 = needs_smtputf8((*msg["To"].addresses, *msg["From"].addresses))
    return msg.as_bytes(policy=_OUTGOING_UTF8 if utf8 else OUTGOING)


def enqueue(
    session: Session,
    msg: EmailMessage,
    case_id: int | None,
    draft_id: int | None = None,
    automatic: bool = False,
) -> OutgoingMail:
    recipients = msg["To"].addresses
    raw = wire_bytes(msg)
    out = built(  # as OutgoingMail(...) makes it, without the instrumented __init__ (40 µs)
        OutgoingMail,
        case_id=case_id,
        draft_id=draft_id,
        message_id=str(msg["Message-ID"]),
        to_addr=recipients[0].addr_spec.lower(),
        automatic=automatic,
        raw=raw,
    )
    session.add(out)  # inserted when the session flushes: `out.id` is None until then
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


def _tmp_path(folder: Path, out_id: int) -> Path:
    return folder / (".%06d.eml.tmp" % out_id)


def _transmit(config: Config, out: OutgoingMail) -> None:
    if config.relay is None:
        assert out.id is not None
        folder = config.outbox_dir
        private_dir(folder)
        final = folder / ("%06d.eml" % out.id)
        tmp = _tmp_path(folder, out.id)
        try:
            with os.fdopen(open_private(tmp), "wb") as fh:  # 0600: it may carry a live code
                fh.write(out.raw)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, final)
        except OSError:  # a full disk leaves no half-written file behind
            tmp.unlink(missing_ok=True)
            raise
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
        sender = _envelope_sender(out.raw) or config.from_address
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
        if smtp.has_extn("dsn"):  # a delivery report will name this message (mail/bounces.py)
            options += ["ENVID=%s" % envelope_id(out.message_id), "RET=HDRS"]
        smtp.sendmail(sender, [recipient], wire, mail_options=options)


def _envelope_sender(raw: bytes) -> str:
    """The address a message says it is from: each mailbox sends as itself (compose)."""
    head = BytesHeaderParser(policy=compat32).parsebytes(raw)
    found = getaddresses([str(v) for v in head.get_all("From", [])])
    return found[0][1] if found else ""


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


# Outcomes of sends this process knows but could not write (the database refused the commit,
# e.g. on a full disk): written at the next `deliver_due`, so no row stays `sending`.
_unrecorded: dict[int, Exception | None] = {}  # outgoing id -> the failure, or None if sent
_unrecorded_lock = threading.Lock()


def deliver_due(
    engine: Engine, config: Config, limit: int = 50, outcomes: Outcomes = Outcomes()
) -> int:
    """Send what is due; returns the number sent. Failures back off and are recorded.

    Callers go through `cases.outbox.deliver`, whose `outcomes` move the case on."""
    _record_unrecorded(engine, outcomes)
    recover_stale(engine, config, outcomes)
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
            out.next_attempt_at = utcnow() + SENDING_LEASE  # after that, stale (recover_stale)
            session.add(out)
        assert out.id is not None
        try:
            _transmit(config, out)
        except Exception as exc:  # any transport failure is recorded and retried, never lost
            log.warning(
                "outgoing %s failed (%s), attempt %d", out.id, type(exc).__name__, out.attempts
            )
            if not _record(engine, out.id, False, exc, outcomes):
                break  # the database refuses writes: stop this round, the next one recovers
            continue
        log.debug("outgoing %s sent (case %s)", out.id, out.case_id)
        sent += 1
        if not _record(engine, out.id, True, None, outcomes):
            break
    return sent


def _record(
    engine: Engine, out_id: int, sent: bool, exc: Exception | None, outcomes: Outcomes
) -> bool:
    """Write the outcome of one send; if the database refuses, keep it for the next round
    (and return False)."""
    try:
        with session_scope(engine) as session:
            row = session.get(OutgoingMail, out_id)
            assert row is not None
            if sent:
                _mark_sent(session, row, outcomes)
            else:
                assert exc is not None
                _mark_failed(session, row, exc, outcomes)
    except Exception as failure:
        log.error(
            "outgoing %s: its outcome could not be recorded (%s); retried in this process",
            out_id,
            type(failure).__name__,
        )
        with _unrecorded_lock:
            _unrecorded[out_id] = None if sent else exc
        return False
    return True


def _record_unrecorded(engine: Engine, outcomes: Outcomes) -> None:
    with _unrecorded_lock:
        pending = dict(_unrecorded)
    for out_id, exc in pending.items():
        try:
            with session_scope(engine) as session:
                row = session.get(OutgoingMail, out_id)
                if row is not None and row.status == OutStatus.sending:
                    if exc is None:
                        _mark_sent(session, row, outcomes)
                    else:
                        _mark_failed(session, row, exc, outcomes)
        except Exception as failure:
            log.warning("outgoing %s: still unrecorded (%s)", out_id, type(failure).__name__)
            continue
        with _unrecorded_lock:
            _unrecorded.pop(out_id, None)
        log.info("outgoing %s: outcome recorded late (%s)", out_id, "failed" if exc else "sent")


def _mark_sent(session: Session, row: OutgoingMail, outcomes: Outcomes) -> None:
    row.status = OutStatus.sent
    row.sent_at = utcnow()
    session.add(row)
    outcomes.sent(session, row)


def _mark_failed(session: Session, row: OutgoingMail, exc: Exception, outcomes: Outcomes) -> None:
    permanent = isinstance(exc, (SendError, UnicodeError)) or (
        isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600
    )
    if permanent:  # the relay refused it for good: it will not arrive
        outcomes.undelivered(session, row, _describe(exc))
        return
    row.status = OutStatus.uncertain if row.attempts >= MAX_ATTEMPTS else OutStatus.failed
    row.last_error = _describe(exc)
    delay = min(3600.0, 30.0 * 2**row.attempts) * (0.5 + random.random())
    row.next_attempt_at = utcnow() + timedelta(seconds=delay)
    session.add(row)


def recover_stale(engine: Engine, config: Config, outcomes: Outcomes = Outcomes()) -> int:
    """Sends left `sending` past their lease (a process died, or its outcome was lost): a file
    that reached the outbox is sent, one that did not is retried; over SMTP nobody knows, so
    staff decide (`uncertain`). Stray `.tmp` files of the outbox are removed. Returns how many
    rows were recovered."""
    now = utcnow()
    with _unrecorded_lock:
        known = set(_unrecorded)
    recovered = 0
    with session_scope(engine) as session:
        rows = session.exec(
            select(OutgoingMail).where(
                OutgoingMail.status == OutStatus.sending, OutgoingMail.next_attempt_at < now
            )
        ).all()
        for row in rows:
            if row.id in known:
                continue
            recovered += 1
            if config.relay is not None:
                row.status = OutStatus.uncertain
                row.last_error = (
                    "interrupted while sending; check the recipient's copy before resending"
                )
                session.add(row)
            elif (config.outbox_dir / ("%06d.eml" % (row.id or 0))).exists():
                _mark_sent(session, row, outcomes)
            else:
                row.status = OutStatus.failed
                row.last_error = "interrupted before the outbox file was written; retried"
                row.next_attempt_at = now
                session.add(row)
        busy = set(
            session.exec(
                select(OutgoingMail.id).where(
                    OutgoingMail.status == OutStatus.sending, OutgoingMail.next_attempt_at >= now
                )
            ).all()
        )
    if config.outbox_dir.is_dir():
        settled = time.time() - 60  # a younger .tmp may belong to a send just being claimed
        for tmp in config.outbox_dir.glob(".*.eml.tmp"):
            number = tmp.name[1:].split(".", 1)[0]
            try:
                if tmp.lstat().st_mtime < settled and (
                    not number.isdigit() or int(number) not in busy
                ):
                    tmp.unlink()
                    log.info("removed the stray outbox file %s", tmp.name)
            except OSError:
                continue
    if recovered:
        log.warning("%d stale send(s) recovered", recovered)
    return recovered


def outbox_files(config: Config) -> list[Path]:
    return sorted(config.outbox_dir.glob("*.eml")) if config.outbox_dir.exists() else []
