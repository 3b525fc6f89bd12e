"""The automatic receipt for a new case: reference, next steps, deadline, nothing else.

Marked as an automatic reply (RFC 3834), capped per sender per day, and never sent to
no-reply, mailer-daemon or list-style addresses, so two robots cannot talk to each other.
"""

from __future__ import annotations

from sqlmodel import Session

from privbot.cases import outbox
from privbot.cases.audit import audit
from privbot.config import Config
from privbot.models import Case, OutgoingMail
from privbot.replies import Replies


def queue_receipt(
    session: Session, config: Config, replies: Replies, case: Case, subject: str, message_id: str
) -> OutgoingMail | None:
    """Queue the receipt if allowed; returns it, or None with the reason audited."""
    if not config.receipt_enabled:
        return None
    out = outbox.notice(
        session,
        config,
        replies,
        case,
        "receipt",
        message_id,
        (message_id,),
        "receipt",
        subject=subject,
    )
    if out is not None:
        audit(session, case, "receipt_queued", outgoing=out.id)
    return out
