"""The automatic receipt for a new case: reference, next steps, deadline, nothing else.

Marked as an automatic reply (RFC 3834), capped per sender per day, and never sent to
no-reply, mailer-daemon or list-style addresses, so two robots cannot talk to each other.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, func, select

from privbot.cases.store import audit, case_context
from privbot.config import Config
from privbot.mail.send import compose, enqueue
from privbot.models import Case, OutgoingMail, utcnow
from privbot.replies import Replies
from privbot.text import is_robot_address


def queue_receipt(
    session: Session, config: Config, replies: Replies, case: Case, subject: str, message_id: str
) -> OutgoingMail | None:
    """Queue the receipt if allowed; returns it, or None with the reason audited."""
    to = case.requester_email
    if not config.receipt_enabled:
        return None
    if is_robot_address(to) or to in config.addresses:
        audit(session, case, "receipt_skipped", reason="robot_address")
        return None
    since = utcnow() - timedelta(days=1)
    count = session.exec(
        select(func.count())
        .select_from(OutgoingMail)
        .where(
            OutgoingMail.to_addr == to,
            OutgoingMail.automatic == True,
            OutgoingMail.created_at >= since,  # noqa: E712
        )
    ).one()
    if count >= config.receipt_daily_cap:
        audit(session, case, "receipt_skipped", reason="daily_cap")
        return None
    rendered = replies.render("receipt", case.language, case_context(case, config, subject=subject))
    msg = compose(
        config,
        to,
        case.requester_name,
        rendered.subject,
        rendered.body,
        message_id,
        (message_id,),
        automatic=True,
    )
    out = enqueue(session, msg, case.id, automatic=True)
    audit(session, case, "receipt_queued", outgoing=out.id)
    return out
