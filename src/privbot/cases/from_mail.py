"""What a human message does to the cases: it continues one, or opens one with its first draft.

The pipeline has already screened, threaded and classified the message. Nothing here commits.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session

from privbot.cases import identity, lifecycle
from privbot.cases.audit import audit
from privbot.cases.receipt import queue_receipt
from privbot.cases.store import add_message, make_draft, open_case
from privbot.cases.third_party import ThirdPartyRules
from privbot.classify.result import Classification
from privbot.config import Config
from privbot.mail.parse import ParsedMail
from privbot.mail.prepare import Prepared
from privbot.models import Case, Channel, utcnow
from privbot.replies import Replies

log = logging.getLogger(__name__)


def follow_up(
    session: Session,
    config: Config,
    replies: Replies,
    case: Case,
    mail: ParsedMail,
    spool_id: int | None,
    classification: Classification,
    received: datetime,
) -> None:
    """Add a threaded message to its case; it reopens a waiting case and may carry the code."""
    add_message(session, case, mail, spool_id, classification, received)
    lifecycle.reopen_on_follow_up(session, case)
    case.updated_at = utcnow()
    session.add(case)
    audit(session, case, "message_threaded", spool=spool_id)
    if identity.confirm_from_mail(
        session, config, replies, case, mail.from_addr, mail.subject, mail.text
    ):
        log.info("identity for %s confirmed by a reply with the code", case.reference)


def open_from_mail(
    session: Session,
    config: Config,
    mail: ParsedMail,
    prepared: Prepared,
    spool_id: int | None,
    classification: Classification,
    received: datetime,
    channel: Channel,
    third_party: ThirdPartyRules,
) -> Case:
    """A new case for the requester (a form or a staff forward names someone else than From)."""
    # prepare() chose the requester: a form relay's name field, a forwarded sender, or From.
    # A relay's own display name ("IT-team webbformulär") never stands in for a missing name.
    requester = (
        (prepared.requester_addr, prepared.requester_name)
        if prepared.requester_addr
        else (mail.from_addr, mail.from_name)
    )
    case = open_case(
        session, config, requester[0], requester[1], classification, received, channel=channel
    )
    add_message(session, case, mail, spool_id, classification, received)
    if third_party.on_behalf(prepared.new_text):  # a parent, a representative, an employer
        case.third_party = True
        audit(session, case, "third_party_flagged")
    identity.on_new_case(session, case)
    return case


def first_draft(
    session: Session, config: Config, replies: Replies, case: Case, mail: ParsedMail
) -> None:
    """The first draft for staff, the receipt, and the identity code when the case needs one."""
    make_draft(session, case, config, replies, subject=mail.subject)
    queue_receipt(session, config, replies, case, mail.subject, mail.message_id)
    identity.after_first_draft(session, config, replies, case)
