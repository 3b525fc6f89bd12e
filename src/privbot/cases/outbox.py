"""The one door into the outbox and the one door out of it, for everything privbot writes.

- `queue` composes a message and enqueues it (`mail/send.py` builds the MIME and keeps the row);
  every other function here, and every caller elsewhere, goes through it.
- `notice` is an automatic notice to a case's requester (receipt, identity code, closing
  notice): only within `mail/limits.py` (no robots, no own addresses, caps per address, per
  domain and per hour), rendered from a reply template and sent as a reply to the requester's
  message. A notice refused is audited as `<what>_skipped`.
- `reply` queues an approved draft as ordinary mail in the case's thread.
- `deliver` hands what is due to the transport and moves a case whose reply left to its next
  status (`cases/lifecycle.py`); a reply that will not arrive (`undelivered`, also from a
  delivery report: `bounce_report`) puts its case back in staff's hands with a visible delivery
  problem. The service's sender calls this; the CLI too. Nothing else calls
  `mail.send.deliver_due`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot.cases import lifecycle
from privbot.cases.audit import audit
from privbot.cases.template_vars import case_context
from privbot.config import Config
from privbot.mail import bounces
from privbot.mail.limits import is_robot_address, refusal
from privbot.mail.send import Outcomes, compose, deliver_due, enqueue
from privbot.models import Case, Draft, OutgoingMail, OutStatus, Status
from privbot.replies import Replies

log = logging.getLogger(__name__)

# An undelivered reply hands the case back to staff from these statuses.
REOPENED_BY_BOUNCE = frozenset(
    {Status.approved, Status.sent, Status.awaiting_requester, Status.closed}
)


def robot(to: str) -> str:
    """ "robot_address" when `to` is a robot's address (never answered), else ""."""
    return "robot_address" if is_robot_address(to) else ""


def queue(
    session: Session,
    config: Config,
    to: str,
    name: str,
    subject: str,
    body: str,
    parent: str = "",
    references: tuple[str, ...] = (),
    *,
    case_id: int | None = None,
    draft_id: int | None = None,
    automatic: bool = False,
    asks_reply: bool = False,
    mailbox: str = "",
) -> OutgoingMail:
    """Compose and enqueue one message; the caller commits and then calls `deliver`.

    `asks_reply`: an automatic mail the person should answer (a code) goes without
    `Precedence: bulk`. `mailbox`: whose address and company name it is sent from (a case's
    mailbox; the default one when empty)."""
    msg = compose(
        config,
        to,
        name,
        subject,
        body,
        parent,
        references,
        automatic=automatic,
        asks_reply=asks_reply,
        mailbox=mailbox,
    )
    return enqueue(session, msg, case_id, draft_id, automatic=automatic)


def notice(
    session: Session,
    config: Config,
    replies: Replies,
    case: Case,
    template: str,
    parent: str,
    references: tuple[str, ...],
    what: str,
    *,
    capped: bool = True,
    asks_reply: bool = False,
    now: datetime | None = None,
    **extra: Any,
) -> OutgoingMail | None:
    """Queue the automatic notice `template` to the requester, or audit `<what>_skipped`."""
    to = case.requester_email
    reason = refusal(session, config, to, now) if capped else robot(to)
    if reason:
        audit(session, case, "%s_skipped" % what, reason=reason)
        return None
    rendered = replies.render(
        template, case.language, case_context(case, config, **extra), mailbox=case.mailbox
    )
    return queue(
        session,
        config,
        to,
        case.requester_name,
        rendered.subject,
        rendered.body,
        parent,
        references,
        case_id=case.id,
        automatic=True,
        asks_reply=asks_reply,
        mailbox=case.mailbox,
    )


def reply(
    session: Session,
    config: Config,
    case: Case,
    draft: Draft,
    parent: str,
    references: tuple[str, ...],
) -> OutgoingMail:
    """Queue an approved draft to the requester, in the case's thread."""
    return queue(
        session,
        config,
        case.requester_email,
        case.requester_name,
        draft.subject,
        draft.body,
        parent,
        references,
        case_id=case.id,
        draft_id=draft.id,
        mailbox=case.mailbox,
    )


def _sent(session: Session, out: OutgoingMail) -> None:
    case = session.get(Case, out.case_id) if out.case_id else None
    if case is None:
        return
    if not out.automatic:
        case.delivery_problem = ""  # a reply went out after an earlier one bounced
        draft = session.get(Draft, out.draft_id) if out.draft_id else None
        lifecycle.reply_sent(session, case, draft.template if draft else "reply")
    action = "notice_sent" if out.automatic else "reply_sent"
    audit(session, case, action, outgoing=out.id)


def undelivered(session: Session, out: OutgoingMail, reason: str) -> Case | None:
    """`out` did not arrive: it is `bounced`, and its case shows why and is back with staff."""
    reason = bounces.mark_bounced(session, out, reason)
    case = session.get(Case, out.case_id) if out.case_id else None
    if case is None:
        return None
    kind = "notice" if out.automatic else "reply"
    case.delivery_problem = (
        "The %s of %s did not arrive: %s"
        % (
            kind,
            (out.sent_at or out.created_at).strftime("%Y-%m-%d"),
            reason,
        )
    )[:500]
    session.add(case)
    audit(session, case, "%s_bounced" % kind, outgoing=out.id, reason=reason)
    if not out.automatic and case.status in REOPENED_BY_BOUNCE:
        lifecycle.transition(session, case, Status.in_progress, reason="reply did not arrive")
    log.warning("outgoing %s of case %s did not arrive", out.id, case.reference)
    return case


def bounce_report(session: Session, raw: bytes, key: int | None = None) -> str:
    """Match a bounce to privbot's outgoing mail and act on it; returns what was done, for the
    spool entry's reason ("" when it is not about privbot's mail). `key`: the spool entry's
    id, for a report looked up with its batch (`bounces.for_batch`)."""
    # Privbot's mail found by Message-ID, which nothing changes once written: the changes the
    # pipeline's batch has made so far need not be written first (a statement each time).
    with session.no_autoflush:
        found = bounces.match(session, raw, key)
    if found is None:
        return ""
    out, report = found
    if not report.failed:
        return "delivery report for outgoing %s (not a failure)" % out.id
    if out.status == OutStatus.bounced:
        return "bounce of outgoing %s (already recorded)" % out.id
    case = undelivered(session, out, report.detail)
    return "bounce of outgoing %s%s" % (out.id, " (case %s)" % case.reference if case else "")


def _undelivered(session: Session, out: OutgoingMail, reason: str) -> None:
    undelivered(session, out, reason)


OUTCOMES = Outcomes(sent=_sent, undelivered=_undelivered)


def deliver(engine: Engine, config: Config, limit: int = 50) -> int:
    """Send what is due (see `mail.send.deliver_due`); returns the number sent."""
    return deliver_due(engine, config, limit, OUTCOMES)
