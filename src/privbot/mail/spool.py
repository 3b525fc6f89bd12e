"""The durable spool: raw bytes are committed before any source is told a message is taken.

Idempotent on Message-ID plus a hash of the content without trace headers (Received,
Return-Path, Delivered-To…), so the same message delivered twice, over two paths or after a
crash, is stored once. Parsing and everything after it is `pipeline.py`'s job.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from privbot.mail.parse import content_hash, message_id_of
from privbot.models import SpoolEntry, SpoolState, utcnow

log = logging.getLogger(__name__)

def spool(session: Session, raw: bytes, source: str, source_ref: str = "") -> tuple[SpoolEntry, bool]:
    """Store raw bytes; returns (entry, created). The caller commits.

    An existing entry with the same key is returned with created=False.
    """
    message_id = message_id_of(raw)[:998]
    digest = content_hash(raw)
    existing = session.exec(
        select(SpoolEntry).where(SpoolEntry.message_id == message_id, SpoolEntry.content_hash == digest)
    ).first()
    if existing is not None:
        log.info("spool duplicate of entry %s from %s", existing.id, source)
        return existing, False
    entry = SpoolEntry(message_id=message_id, content_hash=digest, source=source, source_ref=source_ref, raw=raw, size=len(raw), received_at=utcnow())
    try:
        with session.begin_nested():
            session.add(entry)
            session.flush()
    except IntegrityError:  # a concurrent writer stored it first
        existing = session.exec(
            select(SpoolEntry).where(SpoolEntry.message_id == message_id, SpoolEntry.content_hash == digest)
        ).one()
        return existing, False
    log.debug("spooled entry %s from %s (%d bytes)", entry.id, source, len(raw))
    return entry, True


def record_oversized(session: Session, message_id: str, size: int, source: str, source_ref: str) -> SpoolEntry:
    """Keep a visible record of a message too large to take, without its bytes."""
    digest = hashlib.sha256(("oversized:%s:%s" % (source_ref, size)).encode()).hexdigest()
    existing = session.exec(select(SpoolEntry).where(SpoolEntry.message_id == message_id, SpoolEntry.content_hash == digest)).first()
    if existing:
        return existing
    entry = SpoolEntry(
        message_id=message_id, content_hash=digest, source=source, source_ref=source_ref, raw=b"", size=size,
        state=SpoolState.quarantined, stage="intake", reason="message of %d bytes exceeds the size limit" % size,
        processed_at=utcnow(),
    )
    session.add(entry)
    session.flush()
    return entry
