"""Threading: does an incoming message continue an existing case?

In order: the case reference in the subject (`[DS-2026-0042]`, whatever `Re:`/`SV:`/`VB:`/`AW:`
prefixes surround it); then In-Reply-To/References against Message-IDs privbot has stored or
sent; then a reference written in the body (some providers rewrite Message-IDs). A reference
only counts for an existing case; one in the body only from that case's requester. Merging and re-opening rules are the pipeline's.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from privbot.cases.reference import find_references
from privbot.mail.parse import ParsedMail
from privbot.models import Case, Message


def _by_reference(session: Session, text: str, requester: str = "") -> Case | None:
    for reference in find_references(text):
        query = select(Case).where(Case.reference == reference.upper())
        if requester:
            query = query.where(Case.requester_email == requester)
        case = session.exec(query).first()
        if case is not None:
            return case
    return None


def find_case(session: Session, mail: ParsedMail) -> Case | None:
    case = _by_reference(session, mail.subject)
    if case is not None:
        return case
    ids = [i for i in (mail.in_reply_to, *reversed(mail.references)) if i]
    if ids:
        row = session.exec(select(Message.case_id).where(col(Message.message_id).in_(ids[:50])).limit(1)).first()
        if row is not None:
            return session.get(Case, row)
    return _by_reference(session, mail.text[:20_000], requester=mail.from_addr)
