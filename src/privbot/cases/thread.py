"""Threading: does an incoming message continue an existing case?

In order: the case reference in the subject (`[DS-2026-0042]`, whatever `Re:`/`SV:`/`VB:`/`AW:`/
`Re[2]:` prefixes surround it); then In-Reply-To, then References newest first, against the
Message-IDs privbot has stored or sent (case messages, receipts, identity requests); then a
reference written in the body (some providers rewrite Message-IDs). A reference only counts for
an existing case; one in the body only from that case's requester. A case merged into another
hands its mail on to that one.

References are sequential and Message-IDs leak, so a match alone proves nothing: the match is
`trusted` only when the sender is the case's requester or an address staff added to the case.
An untrusted match never joins the case (the pipeline opens a new case with a warning). Among
several references the first one the sender may write to wins. Which statuses a follow-up
reopens is `cases/lifecycle.py`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from privbot.cases.reference import find_references
from privbot.mail.parse import ParsedMail
from privbot.models import Case, Message, OutgoingMail

_MAX_IDS = 50


def _followed(session: Session, case: Case | None) -> Case | None:
    """The case itself, or the case it was merged into (a few hops at most)."""
    for _ in range(5):
        if case is None or case.duplicate_of is None:
            return case
        case = session.get(Case, case.duplicate_of)
    return case


def may_write_for(case: Case, address: str) -> bool:
    """Is `address` the case's requester, or an address staff added to the case?"""
    address = address.strip().lower()
    return bool(address) and (
        address == case.requester_email.lower() or address in case.allowed_senders
    )


@dataclass(frozen=True)
class ThreadMatch:
    case: Case
    trusted: bool  # the sender may write for this case


def _by_references(session: Session, text: str, requester: str = "") -> list[Case]:
    found: list[Case] = []
    for reference in find_references(text):
        query = select(Case).where(Case.reference == reference.upper())
        if requester:
            query = query.where(Case.requester_email == requester)
        case = session.exec(query).first()
        if case is not None:
            found.append(case)
    return found


def _by_message_ids(session: Session, mail: ParsedMail) -> Case | None:
    ids = list(dict.fromkeys(i for i in (mail.in_reply_to, *reversed(mail.references)) if i))[
        :_MAX_IDS
    ]
    if not ids:
        return None
    known: dict[str, int] = {}
    for message_id, case_id in session.exec(
        select(Message.message_id, Message.case_id).where(col(Message.message_id).in_(ids))
    ):
        known.setdefault(message_id, case_id)
    for message_id, out_case in session.exec(
        select(OutgoingMail.message_id, OutgoingMail.case_id).where(
            col(OutgoingMail.message_id).in_(ids), col(OutgoingMail.case_id).is_not(None)
        )
    ):
        if out_case is not None:
            known.setdefault(message_id, out_case)
    for message_id in ids:  # the nearest ancestor wins
        if message_id in known:
            return session.get(Case, known[message_id])
    return None


def find_case(session: Session, mail: ParsedMail) -> ThreadMatch | None:
    """The case this message continues, and whether its sender may write for that case."""
    candidates = _by_references(session, mail.subject)
    if not candidates:
        by_id = _by_message_ids(session, mail)
        candidates = [by_id] if by_id is not None else []
    if not candidates:
        candidates = _by_references(session, mail.text[:20_000], requester=mail.from_addr)
    for case in candidates:
        target = _followed(session, case)
        if target is not None and (
            may_write_for(case, mail.from_addr) or may_write_for(target, mail.from_addr)
        ):
            return ThreadMatch(target, True)
    first = _followed(session, candidates[0]) if candidates else None
    return ThreadMatch(first, False) if first is not None else None
