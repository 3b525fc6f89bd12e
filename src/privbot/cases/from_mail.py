"""What a human message does to the cases: it continues one, or opens one with its first draft.

The pipeline has already screened, threaded and classified the message. Nothing here commits.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlmodel import Session

from privbot.cases import breach, identity, kept_back, lifecycle, resends, thread
from privbot.cases.audit import audit
from privbot.cases.receipt import queue_receipt
from privbot.cases.store import add_message, make_draft, open_case
from privbot.cases.third_party import ThirdPartyRules
from privbot.classify.result import Classification
from privbot.config import Config
from privbot.mail.parse import ParsedMail
from privbot.mail.prepare import Prepared
from privbot.models import Case, Message, Status, built, utcnow
from privbot.replies import Replies

log = logging.getLogger(__name__)


def _asks_for_something(classification: Classification) -> bool:
    """A follow-up that names a right or asks a question; a "thanks" names none."""
    return any(intent != "other" for intent in classification.intents)


def _add_message(
    session: Session,
    case: Case,
    mail: ParsedMail,
    spool_id: int | None,
    classification: Classification,
    received: datetime,
    warning: str = "",
) -> dict[str, Any]:
    """The message joins `case`; a resend of it or a reply to it later in the batch finds it
    there. Returns its row."""
    row = add_message(session, case, mail, spool_id, classification, received, warning)
    resends.joined(session, case, mail.from_addr, row["content_key"], received)
    thread.joined(session, mail.message_id, case.id)
    return row


def follow_up(
    session: Session,
    config: Config,
    replies: Replies,
    case: Case,
    mail: ParsedMail,
    spool_id: int | None,
    classification: Classification,
    received: datetime,
    resend: bool = False,
) -> None:
    """The requester's message joins their case. A closed case reopens only when the message
    asks for something; a resend of the same text is recorded as a duplicate and changes nothing
    else (no second case, no second receipt). It may carry the identity code."""
    _add_message(session, case, mail, spool_id, classification, received)
    if resend:
        audit(session, case, "duplicate_resend", spool=spool_id, message_id=mail.message_id[:200])
    else:
        audit(session, case, "message_threaded", spool=spool_id)
    asks, was_closed = _asks_for_something(classification), case.status == Status.closed
    if was_closed and not asks:
        audit(session, case, "message_on_closed_case", spool=spool_id)
    elif was_closed or not resend:
        if lifecycle.reopen_on_follow_up(session, case, asks) and was_closed:
            audit(
                session, case, "case_reopened", spool=spool_id, intents=list(classification.intents)
            )
    # kept back in a batch, and written after its flush in one statement with the other cases'
    # times (whichever change of the case comes last in the batch, its time is the one written)
    kept_back.assign(session, case, "updated_at", utcnow())
    if identity.confirm_from_mail(
        session, config, replies, case, mail.from_addr, mail.subject, mail.text
    ):
        log.info("identity for %s confirmed by a reply with the code", case.reference)
    log.info("spool %s %s %s", spool_id, "resent to" if resend else "threaded into", case.reference)


def _sender_differs(session: Session, case: Case, claimed: Case, spool_id: int | None) -> str:
    """Warn staff on both cases: the new one came from someone who is not the requester.
    Returns the warning shown with the new case's message."""
    case.needs_review = True
    session.add(case)
    audit(session, case, "sender_differs", claimed=claimed.reference)
    audit(session, claimed, "foreign_message", new_case=case.reference, spool=spool_id)
    log.warning(
        "spool %s names %s from another sender: opened %s",
        spool_id,
        claimed.reference,
        case.reference,
    )
    return "sender differs from the requester of %s" % claimed.reference


def open_from_mail(
    session: Session,
    config: Config,
    mail: ParsedMail,
    prepared: Prepared,
    spool_id: int | None,
    classification: Classification,
    received: datetime,
    third_party: ThirdPartyRules,
    claimed: Case | None = None,
    mailbox: str = "",
) -> tuple[Case, Message]:
    """A new case, and its first message (not read back: `first_draft` quotes it), for the requester (a form or a staff forward names someone else than From),
    in `mailbox` (mailboxes.py decides which). `claimed`: a case whose reference or thread the
    message used though its sender is not that case's requester; both cases get a warning for
    staff."""
    # prepare() chose the requester: a form relay's name field, a forwarded sender, or From.
    # A relay's own display name ("IT-team webbformulär") never stands in for a missing name.
    requester = (
        (prepared.requester_addr, prepared.requester_name)
        if prepared.requester_addr
        else (mail.from_addr, mail.from_name)
    )
    case = open_case(
        session, config, requester[0], requester[1], classification, received, mailbox=mailbox
    )
    warning = _sender_differs(session, case, claimed, spool_id) if claimed is not None else ""
    row = _add_message(session, case, mail, spool_id, classification, received, warning)
    if third_party.on_behalf(prepared.new_text):  # a parent, a representative, an employer
        case.third_party = True
        audit(session, case, "third_party_flagged")
    identity.on_new_case(session, case)
    return case, built(Message, **row)  # as a query would read it back


def first_draft(
    session: Session,
    config: Config,
    replies: Replies,
    case: Case,
    mail: ParsedMail,
    first: Message | None = None,
) -> None:
    """A breach's clock (72 hours from receipt; supervisors alerted at once), the first draft
    for staff, and the receipt (carrying the identity code when one is due). `first`: the
    case's first message, as `open_from_mail` returned it (else read back)."""
    if breach.is_breach(case):
        breach.start_clock(session, config, replies, case)
    if first is None:
        make_draft(session, case, config, replies, subject=mail.subject)
    else:  # opened just now: no earlier draft to supersede, the first message at hand
        make_draft(
            session, case, config, replies, opened=True, subject=mail.subject, first_message=first
        )
    queue_receipt(session, config, replies, case, mail.subject, mail.message_id)
