"""Resends: the same subject and text sent again by the same sender joins the first case.

A message is a resend when an earlier incoming message of its sender within the resend window,
in a case not purged, has the same content key (or, stored before keys were, the same subject
and text). Among the sender's earlier messages, oldest first, the first one that is the same
text wins.

Looked up one message at a time, this is a query per message (a round trip, 2-3 ms under load
on PostgreSQL). The pipeline instead looks up a whole batch's messages in one query before the
batch starts (`for_batch`), and tells the lookup which messages the batch itself adds to which
case (`joined`): a message later in the batch must find one earlier in it. The batch's own
messages always come after what was stored before it (their ids are higher), so the answer
is the same as a query per message would give.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Dialect, Integer, String, and_, bindparam, column, func, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from privbot.cases import kept_back
from privbot.cases.store import MESSAGES
from privbot.config import Config
from privbot.mail.parse import ParsedMail
from privbot.models import Case, Message
from privbot.text import content_key

_KEY = "privbot.resends"  # session.info key of the batch's Resends
# At most this many earlier messages of a sender are looked at, oldest first (the first with
# the key and those without one). Messages without a key were stored before migration 0015 and
# leave the window `resend_window_days` after it, so only they could make the list long.
_MAX_EARLIER = 200


@dataclass(frozen=True, slots=True)
class Wanted:
    """One message's lookup: its sender, its content key, and the start of its window."""

    sender: str
    key: str
    since: datetime


def wanted(config: Config, mail: ParsedMail, received: datetime) -> Wanted | None:
    """What to look up for `mail`; None when it cannot be a resend (no window, no sender, no
    text)."""
    if config.resend_window_days <= 0 or not mail.from_addr or not mail.text.strip():
        return None
    since = received - timedelta(days=config.resend_window_days)
    return Wanted(mail.from_addr, mail.content_key, since)


@dataclass(slots=True)
class _Joined:
    """A message this batch added to a case (all carry a content key)."""

    sender: str
    key: str
    at: datetime
    case: Case


# An earlier message: its case, its id (None for one of this batch) and its content key.
Earlier = tuple[Case, int | None, str | None]


@dataclass
class Resends:
    """The earlier messages of a batch's lookups as stored when the batch began, and the
    messages the batch has added since, in the order it added them."""

    stored: dict[Wanted, list[Earlier]]
    joined: list[_Joined] = field(default_factory=list)

    def add(self, case: Case, sender: str, key: str, at: datetime) -> None:
        self.joined.append(_Joined(sender, key, at, case))

    def earlier(self, want: Wanted) -> list[Earlier]:
        """What one query per message would read: the stored messages without a key and the
        first with the key, or the batch's first with the key when none was stored before."""
        found = self.stored.get(want)
        if found is None:  # not looked up with the batch (the caller's mistake): say so loudly
            raise KeyError(want)
        if not any(stored is not None for _, _, stored in found):
            found = found + self._first_joined(want)
        return found[:_MAX_EARLIER]

    def _first_joined(self, want: Wanted) -> list[Earlier]:
        for row in self.joined:
            if (
                row.sender == want.sender
                and row.key == want.key
                and row.at >= want.since
                and row.case.purged_at is None
            ):
                return [(row.case, None, row.key)]
        return []


def _looked_up(dialect: str) -> Any:
    """The lookups as a table of their own (n, their position; sender; key; since), from bound
    parameters: arrays on PostgreSQL (`unnest`), a JSON array on SQLite (`json_each`). The
    statement is then the same for every batch, so SQLAlchemy compiles it once and PostgreSQL
    may keep its plan (a VALUES list is a new statement for each number of lookups)."""
    if dialect == "postgresql":
        return (
            func.unnest(
                bindparam("ns", type_=ARRAY(Integer)),
                bindparam("senders", type_=ARRAY(String)),
                bindparam("keys", type_=ARRAY(String)),
                bindparam("sinces", type_=ARRAY(MESSAGES.c.at.type)),
            )
            .table_valued(
                column("n", Integer),
                column("sender", String),
                column("key", String),
                column("since", MESSAGES.c.at.type),
                name="wanted",
            )
            .render_derived()
        )
    rows = func.json_each(bindparam("wanted", type_=String)).table_valued("value")
    return select(
        *(
            func.json_extract(rows.c.value, "$[%d]" % i).label(name)
            for i, name in enumerate(("n", "sender", "key", "since"))
        )
    ).subquery("wanted")


def _bound(dialect: Dialect, wants: list[Wanted]) -> dict[str, Any]:
    """The parameters `_looked_up` reads, for `wants`."""
    if dialect.name == "postgresql":
        return {
            "ns": list(range(len(wants))),
            "senders": [want.sender for want in wants],
            "keys": [want.key for want in wants],
            "sinces": [want.since for want in wants],
        }
    process = MESSAGES.c.at.type.dialect_impl(dialect).bind_processor(dialect)  # as stored
    # each start of a window written once: the lookups of a batch share a few (2.5 µs each)
    since = {at: process(at) if process else at for at in {want.since for want in wants}}
    return {
        "wanted": json.dumps(
            [[n, want.sender, want.key, since[want.since]] for n, want in enumerate(wants)]
        )
    }


def _not_purged(message: Any) -> Any:
    """`message`'s case is not purged, read by the case's id for each message the lookup finds.

    Not a join with the case table, nor NOT EXISTS (an anti-join): without statistics, on a
    fresh database, PostgreSQL took `purged_at IS NULL` for one row and started from the cases,
    reading every case's messages for each lookup, or scanned the case table for each message.
    A correlated scalar subquery is run as it is written, by the primary key."""
    case = aliased(Case)
    purged_at = select(case.purged_at).where(col(case.id) == col(message.case_id))
    return purged_at.scalar_subquery().is_(None)


@cache
def _earlier_query(dialect: str) -> Any:
    """One query for every lookup: each one's earlier messages (those without a key and the
    first with the key), numbered by the lookup they answer, oldest first.

    The first message with the key is worked out once per lookup, in a select list of its own:
    as a condition on each of the sender's messages, PostgreSQL ran it for every one of them.
    The later ones with the key stay in the database: the first wins, and loading a case object
    for each of a sender's resends cost more than the rest of handling a resend."""
    looked_up = _looked_up(dialect)
    keyed = aliased(Message)
    first_with_key = (
        select(func.min(keyed.id))
        .where(
            col(keyed.from_addr) == looked_up.c.sender,
            col(keyed.direction) == "in",
            col(keyed.at) >= looked_up.c.since,
            col(keyed.content_key) == looked_up.c.key,
            _not_purged(keyed),
        )
        .scalar_subquery()  # correlated with the lookup's row
    )
    unkeyed = aliased(Message)  # stored before content keys: their text is compared
    candidates = union_all(
        select(looked_up.c.n, first_with_key.label("message")),
        select(looked_up.c.n, unkeyed.id).join_from(
            looked_up,
            unkeyed,
            and_(
                col(unkeyed.from_addr) == looked_up.c.sender,
                col(unkeyed.content_key).is_(None),
                col(unkeyed.direction) == "in",
                col(unkeyed.at) >= looked_up.c.since,
                _not_purged(unkeyed),
            ),
        ),
    ).subquery()
    return (
        select(candidates.c.n, Case.id, Message.id, Message.content_key)
        .select_from(candidates)
        .join(Message, col(Message.id) == candidates.c.message)
        .join(Case, col(Message.case_id) == col(Case.id))
        .order_by(candidates.c.n, col(Message.id))
        # the batch has written nothing yet; a single lookup has written what it needs
        .execution_options(**{kept_back.CHECKED: True})
    )


def look_up(session: Session, wants: Iterable[Wanted]) -> Resends:
    """The earlier messages of every lookup in `wants`, in one query."""
    distinct = list(dict.fromkeys(wants))  # a spool batch often shares a received time
    stored: dict[Wanted, list[Earlier]] = {want: [] for want in distinct}
    if distinct:
        dialect = session.get_bind().dialect
        found = session.execute(_earlier_query(dialect.name), _bound(dialect, distinct)).all()
        cases = _cases(session, {case_id for _, case_id, _, _ in found})
        for n, case_id, message_id, key in found:
            stored[distinct[int(n)]].append((cases[case_id], message_id, key))
    return Resends(stored)


_CASES = select(Case).where(col(Case.id).in_(bindparam("ids", expanding=True)))


def _cases(session: Session, ids: set[int]) -> dict[int, Case]:
    """The cases of `ids`, each loaded once, in a statement of their own: loaded in the lookup's
    rows, each row carried and sorted the case's 30 columns and made its object in a row of
    four, about a third more time for the lookup on SQLite (3.6 ms for 200 messages)."""
    if not ids:
        return {}
    return {case.id or 0: case for case in session.scalars(_CASES, {"ids": sorted(ids)})}


def of(session: Session) -> Resends | None:
    """The batch's lookups, when `for_batch` is running."""
    return session.info.get(_KEY)


@contextmanager
def for_batch(session: Session, wants: Iterable[Wanted]) -> Iterator[Resends]:
    """Look up a batch's messages at once; inside the block `resent` answers from it. Every
    message the batch adds to a case must be told to the result (`joined`)."""
    resends = look_up(session, wants)
    session.info[_KEY] = resends
    try:
        yield resends
    finally:
        session.info.pop(_KEY, None)


def joined(session: Session, case: Case, sender: str, key: str, at: datetime) -> None:
    """An incoming message joined `case` in the running batch (nothing to do outside one)."""
    resends = of(session)
    if resends is not None:
        resends.add(case, sender, key, at)


def resent(session: Session, config: Config, mail: ParsedMail, received: datetime) -> Case | None:
    """The case this sender already sent the same subject and text to, within the window."""
    want = wanted(config, mail, received)
    if want is None:
        return None
    resends = of(session)
    if resends is None:  # alone, not in a batch: look it up now
        kept = kept_back.of(session)
        if kept is not None:  # the sender's message earlier in this batch, not yet written
            kept.write_if(MESSAGES, lambda row: row["from_addr"] == want.sender)
        resends = look_up(session, [want])
    for case, message_id, stored in resends.earlier(want):
        if stored is None and not _same_text(session, message_id, want.key):
            continue
        return case
    return None


def _same_text(session: Session, message_id: int | None, key: str) -> bool:
    """A message stored before content keys: compare its subject and text itself."""
    subject, text = session.execute(
        select(Message.subject, Message.text).where(col(Message.id) == message_id)
    ).one()
    return content_key(subject, text) == key
