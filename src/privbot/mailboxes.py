"""Which mailbox a message or a case belongs to: the one place that decides.

A message's mailbox is the one intake recorded on its spool entry (the SMTP recipient, the IMAP
account it was polled from); failing that, the first configured address among its Delivered-To,
X-Original-To, To and Cc; failing that, the default (first) mailbox. A case keeps the mailbox of
the message that opened it, and everything said for the case (company facts, templates, sender,
reference prefix, identity settings) comes from `of_case`.

Staff limited to some mailboxes see only their cases: `visible` is the filter every list,
export and API route applies, `can_see` the check every case page makes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from email.utils import getaddresses
from typing import Any, Protocol, TypeVar

from sqlmodel import col
from sqlmodel.sql.expression import SelectOfScalar

from privbot.config import Config, Mailbox
from privbot.models import Case, User
from privbot.replies import Replies

Q = TypeVar("Q", bound=SelectOfScalar[Any])

# Headers naming where a message was delivered, most reliable first.
_DELIVERY_HEADERS = ("delivered-to", "x-original-to")


class Addressed(Protocol):
    """What `for_message` reads of a message (a `mail.parse.ParsedMail`): its headers and To."""

    @property
    def to(self) -> Sequence[str]: ...

    def header(self, name: str) -> str: ...


def by_address(config: Config, addresses: Iterable[str]) -> Mailbox | None:
    """The mailbox of the first address that is one of a mailbox's own, or None."""
    owners = {a: box for box in config.mailboxes for a in (*box.addresses, box.from_address)}
    for address in addresses:
        box = owners.get(address.strip().lower())
        if box is not None:
            return box
    return None


def for_recipients(config: Config, recipients: Iterable[str]) -> Mailbox:
    """The mailbox an SMTP delivery is for (the default when no recipient is one of ours)."""
    return by_address(config, recipients) or config.default_mailbox


def for_message(config: Config, recorded: str, mail: Addressed | None) -> Mailbox:
    """The mailbox of a spooled message: as intake recorded it, else as its headers say."""
    if recorded:
        for box in config.mailboxes:
            if box.key == recorded:
                return box
    if mail is not None and len(config.mailboxes) > 1:
        named: list[str] = []
        for header in _DELIVERY_HEADERS:
            named += [a for _, a in getaddresses([mail.header(header)])]
        named += list(mail.to)
        named += [a for _, a in getaddresses([mail.header("cc")])]
        found = by_address(config, named)
        if found is not None:
            return found
    return config.default_mailbox


def of_case(config: Config, case: Case) -> Mailbox:
    """Whose facts, templates and sender a case's mail uses (ConfigError if the config lost it)."""
    return config.mailbox(case.mailbox)


def load_replies(config: Config) -> Replies:
    """The shipped templates, with each mailbox's `replies_dir` laid over them."""
    return Replies.load(
        config.replies_dir,
        {box.key: box.replies_dir for box in config.mailboxes if box.replies_dir is not None},
    )


# --- who sees what ------------------------------------------------------------------------------


def allowed(user: User | None) -> tuple[str, ...] | None:
    """The mailboxes `user` may see, or None for all of them."""
    if user is None or not user.mailboxes:
        return None
    return tuple(str(m) for m in user.mailboxes)


def scope(user: User | None, wanted: str = "") -> tuple[str, ...] | None:
    """The mailboxes a list shows: the user's, narrowed to `wanted` when one is chosen.

    A mailbox the user may not see gives an empty scope (nothing), never someone else's cases."""
    mine = allowed(user)
    if not wanted:
        return mine
    if mine is not None and wanted not in mine:
        return ()
    return (wanted,)


def visible(query: Q, keys: Sequence[str] | None, column: Any = None) -> Q:
    """`query` limited to cases in `keys` (None: no limit). `column` is the case mailbox column
    to filter on, `Case.mailbox` unless the query reaches cases another way."""
    if keys is None:
        return query
    return query.where(col(column if column is not None else Case.mailbox).in_(list(keys)))


def within(actor: User, other: User) -> bool:
    """May `actor` manage `other`'s account? A limited actor only manages users limited to
    (some of) the same mailboxes: otherwise a new password would open other mailboxes."""
    mine = allowed(actor)
    theirs = allowed(other)
    return mine is None or (theirs is not None and set(theirs) <= set(mine))


def can_see_mailbox(user: User | None, key: str) -> bool:
    mine = allowed(user)
    return mine is None or key in mine


def can_see(user: User | None, case: Case) -> bool:
    return can_see_mailbox(user, case.mailbox)
