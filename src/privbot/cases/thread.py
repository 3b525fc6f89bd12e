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

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from privbot.cases.reference import find_references
from privbot.mail.parse import ParsedMail
from privbot.models import Case, Message, OutgoingMail

_MAX_IDS = 50
_CHUNK = 1000  # Message-IDs per query (a batch answers up to 50 each)


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
    threads: Threads | None = session.info.get(_KEY)
    found: list[Case] = []
    for reference in find_references(text):
        reference = reference.upper()
        case: Case | None
        if threads is not None and reference in threads.references:
            case = threads.cases.get(reference)
            if case is not None and requester and case.requester_email != requester:
                case = None
        else:  # alone, not in a batch: ask the database now
            query = select(Case).where(Case.reference == reference)
            if requester:
                query = query.where(Case.requester_email == requester)
            case = session.exec(query).first()
        if case is not None:
            found.append(case)
    return found


def _references(mail: ParsedMail) -> set[str]:
    """The case references `find_case` may look up for `mail`: in its subject and its text."""
    return {
        reference.upper()
        for text in (mail.subject, mail.text[:20_000])
        for reference in find_references(text)
    }


def _ids(mail: ParsedMail) -> list[str]:
    """The Message-IDs `mail` answers, nearest first: In-Reply-To, then References newest first."""
    return list(dict.fromkeys(i for i in (mail.in_reply_to, *reversed(mail.references)) if i))[
        :_MAX_IDS
    ]


_KEY = "privbot.threads"  # session.info key of the batch's Threads


@dataclass
class Threads:
    """The cases of the Message-IDs a batch's messages answer, as stored when the batch began
    (case messages apart from privbot's own mail), and the messages the batch has added since.

    Looked up one message at a time, threading is a query per message that answers one (a
    round trip each on PostgreSQL, and the batch's kept-back messages written first). The
    pipeline looks up a whole batch's Message-IDs in one query before the batch starts
    (`for_batch`) and tells this which messages the batch adds to which case (`joined`), so a
    reply to a message earlier in the batch finds it as a query would. The mail privbot queues
    in the batch has Message-IDs no spooled message can know yet."""

    looked_up: frozenset[str]
    messages: dict[str, int]
    outgoing: dict[str, int]
    added: dict[str, int] = field(default_factory=dict)
    # the case references the batch's messages name (looked up with the Message-IDs), and the
    # case of each that has one: as stored when the batch began, or opened in the batch since
    references: frozenset[str] = frozenset()
    cases: dict[str, Case] = field(default_factory=dict)

    def known(self, ids: list[str]) -> dict[str, int]:
        """The case of each of `ids` that has one: a case message's before privbot's mail."""
        found: dict[str, int] = {}
        for source in (self.messages, self.added, self.outgoing):
            for message_id in ids:
                if message_id in source:
                    found.setdefault(message_id, source[message_id])
        return found


# The lookups by Message-ID and by reference, built once: building a statement and its cache
# key again for each batch or message cost more than running it.
_IDS: Any = bindparam("ids", expanding=True)
_MESSAGE_CASES = (
    select(Message.message_id, Message.case_id)
    .where(col(Message.message_id).in_(_IDS))
    .order_by(col(Message.id))
)
_OUTGOING_CASES = (
    select(OutgoingMail.message_id, OutgoingMail.case_id)
    .where(col(OutgoingMail.message_id).in_(_IDS), col(OutgoingMail.case_id).is_not(None))
    .order_by(col(OutgoingMail.id))
)
_CASES_BY_REFERENCE = select(Case).where(
    col(Case.reference).in_(bindparam("references", expanding=True))
)


def _stored(session: Session, ids: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
    """The case of each of `ids` stored as a case message, and as privbot's own mail; the
    earliest stored wins."""
    wanted = sorted(set(ids))
    messages: dict[str, int] = {}
    outgoing: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = {"ids": wanted[start : start + _CHUNK]}
        for message_id, case_id in session.exec(_MESSAGE_CASES, params=chunk):
            messages.setdefault(message_id, case_id)
        for message_id, out_case in session.exec(_OUTGOING_CASES, params=chunk):
            if out_case is not None:
                outgoing.setdefault(message_id, out_case)
    return messages, outgoing


@contextmanager
def for_batch(session: Session, mails: Iterable[ParsedMail]) -> Iterator[Threads]:
    """Look up the Message-IDs a batch's messages answer at once; inside the block
    `find_case` answers from it. Every message the batch adds to a case must be told to the
    result (`joined`)."""
    mails = list(mails)
    ids = frozenset(message_id for mail in mails for message_id in _ids(mail))
    references = frozenset(reference for mail in mails for reference in _references(mail))
    threads = Threads(ids, *_stored(session, ids), references=references)
    wanted = sorted(references)
    for start in range(0, len(wanted), _CHUNK):
        chunk = {"references": wanted[start : start + _CHUNK]}
        for case in session.exec(_CASES_BY_REFERENCE, params=chunk):
            threads.cases[case.reference] = case
    session.info[_KEY] = threads
    try:
        yield threads
    finally:
        session.info.pop(_KEY, None)


def joined(session: Session, message_id: str, case_id: int | None) -> None:
    """An incoming message joined a case in the running batch (nothing to do outside one)."""
    threads: Threads | None = session.info.get(_KEY)
    if threads is not None and message_id and case_id is not None:
        threads.added.setdefault(message_id, case_id)


def opened(session: Session, case: Case) -> None:
    """A case opened in the running batch: a later message of the batch naming its reference
    finds it (nothing to do outside a batch)."""
    threads: Threads | None = session.info.get(_KEY)
    if threads is not None:
        threads.cases.setdefault(case.reference, case)


def _by_message_ids(session: Session, mail: ParsedMail) -> Case | None:
    ids = _ids(mail)
    if not ids:
        return None
    threads: Threads | None = session.info.get(_KEY)
    if threads is not None and threads.looked_up.issuperset(ids):
        known = threads.known(ids)
    else:  # alone, not in a batch (or not looked up with it): ask the database now
        known = Threads(frozenset(ids), *_stored(session, ids)).known(ids)
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
