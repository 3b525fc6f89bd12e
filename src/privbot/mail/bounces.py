"""Mail of privbot's that did not arrive: delivery reports matched to the outgoing mail.

privbot sends each message with `ENVID=<its Message-ID>` when the relay offers DSN (RFC 3461),
so a delivery status notification (RFC 3464) names it in `Original-Envelope-Id`; the report's
returned headers (`message/rfc822` or `text/rfc822-headers`) carry the Message-ID too. A report
matched either way whose recipients failed marks that mail `bounced`; so does a permanent
refusal by the relay itself. What that means for a case (back in staff's hands with a visible
delivery problem) is `cases/outbox.py`'s: this module knows no case.

Only messages the screen already took for bounces are looked at (`pipeline.py`); telling
auto-replies from bounces is the screen's job, not this module's.
"""

from __future__ import annotations

import email
import email.policy
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from privbot.mail.feed import message_from_bytes
from privbot.mail.headers import msg_ids
from privbot.models import OutgoingMail, OutStatus

log = logging.getLogger(__name__)

_XTEXT_PLAIN = re.compile(r"[!-*,-<>-~]")  # RFC 3461 4: printable ASCII but '+' and '='


def envelope_id(message_id: str) -> str:
    """The ENVID parameter for a Message-ID, xtext-encoded (RFC 3461 4)."""
    return "".join(c if _XTEXT_PLAIN.fullmatch(c) else "+%02X" % ord(c) for c in message_id)


def _xtext_decode(value: str) -> str:
    return re.sub(r"\+([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), value)


@dataclass(frozen=True)
class Report:
    ids: tuple[str, ...]  # Message-IDs of the original, from ENVID and the returned headers
    failed: bool  # a recipient failed (a "delayed" or "delivered" report is not a bounce)
    detail: str  # status and diagnostic, for staff


def read_report(raw: bytes) -> Report:
    """What a delivery report says: which message, and whether delivery failed."""
    msg = message_from_bytes(raw, Message)  # no regex compiled for each of its boundaries
    ids: list[str] = []
    actions: list[str] = []
    details: list[str] = []
    structured = False
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            structured = True
            for block in _status_blocks(part):
                envid = block.get("Original-Envelope-Id")
                if envid:
                    ids += msg_ids([_xtext_decode(str(envid).strip())])
                action = str(block.get("Action", "")).strip().lower()
                if action:
                    actions.append(action)
                    details.append(
                        " ".join(
                            str(block.get(name, "")).strip()
                            for name in ("Status", "Diagnostic-Code")
                            if block.get(name)
                        )
                    )
        elif kind in ("message/rfc822", "text/rfc822-headers"):
            ids += msg_ids([_original_message_id(part)])
    failed = any(a == "failed" for a in actions) if structured else True
    detail = "; ".join(d for d in details if d) or str(msg.get("Subject", "")).strip()
    return Report(ids=tuple(dict.fromkeys(ids)), failed=failed, detail=" ".join(detail.split()))


def _status_blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    text = _bytes(part)
    blocks = re.split(rb"\r?\n\r?\n", text.strip())
    return [email.message_from_bytes(b, policy=email.policy.compat32) for b in blocks if b]


def _original_message_id(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return str(payload[0].get("Message-ID", ""))
    text = _bytes(part).replace(b"\r\n", b"\n")
    headers = email.message_from_bytes(text.split(b"\n\n", 1)[0], policy=email.policy.compat32)
    return str(headers.get("Message-ID", ""))


def _bytes(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


# built once: building the statement and its cache key for each report cost more than running it
_BY_MESSAGE_IDS = (
    select(OutgoingMail)
    .where(col(OutgoingMail.message_id).in_(bindparam("ids", expanding=True)))
    .order_by(col(OutgoingMail.id))
)


_KEY = "privbot.bounces.batch"
_CHUNK = 500  # Message-IDs per lookup (SQLite takes at most 999 parameters in a statement)


@dataclass(frozen=True)
class _Batch:
    reports: dict[int, Report]  # spool entry id -> what its report says
    sent: list[OutgoingMail]  # the outgoing mail the reports name, in id order


@contextmanager
def for_batch(session: Session, entries: Iterable[tuple[int, bytes]]) -> Iterator[None]:
    """Read a batch's delivery reports ((spool entry id, raw bytes)) and look up the outgoing
    mail they name at once, not in a query each; inside the block `match` answers from it for
    those entries. A report can only name mail privbot sent before, and the batch changes no
    Message-ID (the mail it queues has new ones, not yet sent), so what a report names is the
    same before and after any of the batch's writes."""
    reports = {key: read_report(raw) for key, raw in entries}
    wanted = sorted({message_id for report in reports.values() for message_id in report.ids})
    sent: list[OutgoingMail] = []
    with session.no_autoflush:
        for start in range(0, len(wanted), _CHUNK):
            chunk = {"ids": wanted[start : start + _CHUNK]}
            sent.extend(session.exec(_BY_MESSAGE_IDS, params=chunk))
    session.info[_KEY] = _Batch(reports, sorted(sent, key=lambda out: out.id or 0))
    try:
        yield
    finally:
        session.info.pop(_KEY, None)


def match(
    session: Session, raw: bytes, key: int | None = None
) -> tuple[OutgoingMail, Report] | None:
    """The outgoing mail a delivery report is about, if privbot sent it. `key`: the spool
    entry's id, for the report read with its batch (`for_batch`)."""
    batch: _Batch | None = session.info.get(_KEY)
    if batch is not None and key is not None and key in batch.reports:
        report = batch.reports[key]
        ids = set(report.ids)
        found = next((out for out in batch.sent if out.message_id in ids), None)
    else:  # alone, not in a batch: read it and ask the database now
        report = read_report(raw)
        if not report.ids:
            return None
        found = session.exec(_BY_MESSAGE_IDS, params={"ids": list(report.ids)}).first()
    return (found, report) if found is not None else None


def mark_bounced(session: Session, out: OutgoingMail, reason: str) -> str:
    """`out` did not arrive: it is `bounced`; returns the reason as recorded."""
    reason = " ".join(reason.split())[:450] or "delivery failed"
    out.status = OutStatus.bounced
    out.last_error = reason[:500]
    session.add(out)
    return reason
