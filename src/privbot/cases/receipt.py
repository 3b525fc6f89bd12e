"""The one automatic mail a new case gets: the receipt with reference, next steps and deadline,
and, when the case needs a verified requester, the identity code (and link) in the same mail.

Marked as an automatic reply (RFC 3834) and sent only within the limits of `mail/limits.py`
(no robots, caps per address, per domain and per hour). Refused, it is audited with the reason
and no code goes out either; staff can send one with `privbot verify REF --send-code`.
"""

from __future__ import annotations

from sqlmodel import Session

from privbot.cases import identity, outbox
from privbot.cases.audit import audit
from privbot.cases.template_vars import case_context
from privbot.config import Config
from privbot.mail.limits import refusal
from privbot.models import Case, OutgoingMail
from privbot.replies import Replies


def queue_receipt(
    session: Session, config: Config, replies: Replies, case: Case, subject: str, message_id: str
) -> OutgoingMail | None:
    """Queue the receipt (with the identity code when one is due) if allowed; returns it, or None
    with the reason audited."""
    with_code = identity.code_due(case)
    if not config.receipt_enabled:
        if with_code:  # the code still goes, as its own (and only) mail
            identity.send_code(session, config, replies, case)
        return None
    reason = refusal(session, config, case.requester_email)
    if reason:
        audit(session, case, "receipt_skipped", reason=reason)
        return None
    new = identity.new_code_for(session, config, case) if with_code else None
    extra = {
        "verification_code": new.code if new else "",
        "verification_url": new.url if new else "",
    }
    rendered = replies.render(
        "receipt",
        case.language,
        case_context(case, config, subject=subject, **extra),
        mailbox=case.mailbox,
    )
    out = outbox.queue(
        session,
        config,
        case.requester_email,
        case.requester_name,
        rendered.subject,
        rendered.body,
        message_id,
        (message_id,),
        case_id=case.id,
        automatic=True,
        asks_reply=new is not None,  # the person replies with the code: no Precedence: bulk
        mailbox=case.mailbox,
    )
    if new is not None:
        identity.attach(session, case, new, out)
    audit(session, case, "receipt_queued", outgoing=out, identity_code=new is not None)
    return out
