"""How much automatic mail privbot may send, and to whom.

Automatic mail (receipts, identity codes, reminders, the chat's confirmation mail) goes out
without a person approving it, so a stranger could use privbot to mail third parties. It is
never sent to no-reply, mailer-daemon or list-style addresses (two robots must not talk to each
other), nor to privbot's own addresses, and it is capped:

- per address per day (`[receipt] daily_cap_per_sender`), counting `anna+1@x` and `Anna@X` as
  `anna@x`;
- per recipient domain per day (`[receipt] daily_cap_per_domain`);
- in all per hour (`[receipt] hourly_cap`).

A refused mail is audited by the caller with the reason; staff can still send it by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, bindparam, func, true
from sqlalchemy import select as core_select
from sqlmodel import Session

from privbot.config import Config
from privbot.models import OutgoingMail, utcnow
from privbot.text import is_robot_address as is_robot_address  # the one check: privbot.text


def _ascii_domain(domain: str) -> str:
    """The domain as outgoing mail carries it (IDNA), so `ö.example` and `xn--nda.example` agree."""
    domain = domain.casefold()
    try:
        return domain if domain.isascii() else domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def address_key(addr: str) -> str:
    """The address as the caps count it: case-folded, without a `+tag`, IDNA domain."""
    local, _, domain = addr.strip().rpartition("@")
    return "%s@%s" % (local.split("+", 1)[0].casefold(), _ascii_domain(domain))


_OUT: Any = OutgoingMail.__table__  # type: ignore[attr-defined]
_AUTOMATIC = _OUT.c.automatic.is_(True)
# The automatic mail that counts for the caps, in one statement (a round trip less per
# automatic mail): how many went out in the last hour, counted up to the cap and no further,
# and the addresses of those of the last day to the recipient's domain, one row each (one row
# with none when there are none), and the oldest mail counted of the hour. The statement is the
# same for every mail: compiled once.
_LAST_HOUR = (
    core_select(_OUT.c.created_at)
    .where(_AUTOMATIC, _OUT.c.created_at >= bindparam("hour", type_=_OUT.c.created_at.type))
    .limit(bindparam("cap", type_=Integer))
    .subquery()
)
_HOUR = core_select(
    func.count().label("n"), func.min(_LAST_HOUR.c.created_at).label("oldest")
).subquery()
_DOMAIN = (
    core_select(_OUT.c.to_addr)
    .where(
        _AUTOMATIC,
        _OUT.c.created_at >= bindparam("day", type_=_OUT.c.created_at.type),
        _OUT.c.to_addr.like(bindparam("pattern", type_=String), escape="/"),
    )
    .subquery()
)
_COUNTED = core_select(_HOUR.c.n, _DOMAIN.c.to_addr, _HOUR.c.oldest).select_from(
    _HOUR.outerjoin(_DOMAIN, true())
)


# session.info key: until when the written automatic mail alone fills the hourly cap, noted in
# the transaction (or savepoint) that counted it, for that cap. A flood of new cases (a
# campaign) meets the cap, and each further case would count it again. Automatic mail is never
# deleted nor re-dated, and other transactions only add more, so the mail counted stays within
# the hour until the oldest of it is an hour old. A savepoint rolled back (which takes away what
# it wrote) is not the transaction that then asks, which counts again.
_HOUR_FULL = "privbot.hour_full"


def _transaction(session: Session) -> Any:
    return session.get_nested_transaction() or session.get_transaction()


def _known_full(session: Session, cap: int, now: datetime) -> bool:
    """The hour was counted full in this transaction, and is still."""
    note = session.info.get(_HOUR_FULL)
    return note is not None and note[:2] == (_transaction(session), cap) and now < note[2]


def _note_full(session: Session, cap: int, oldest: datetime) -> None:
    session.info[_HOUR_FULL] = (_transaction(session), cap, oldest + timedelta(hours=1))


def _like_domain(domain: str) -> str:
    """The LIKE pattern of an address at `domain`, its wildcards escaped."""
    return "%@" + domain.replace("/", "//").replace("%", "/%").replace("_", "/_")


def refusal(session: Session, config: Config, to: str, now: datetime | None = None) -> str:
    """Why no automatic mail may go to `to` now ("" when it may)."""
    now = now or utcnow()
    to = to.strip().lower()
    if is_robot_address(to) or to in config.addresses or to == config.from_address:
        return "robot_address"
    key = address_key(to)
    domain = key.rpartition("@")[2]
    # Automatic mail queued in this transaction and not written yet (`mail/send.enqueue` leaves
    # it to the next flush) counts as sent this hour; the written mail is read on the session's
    # connection, without flushing the session's other changes first.
    queued = [obj.to_addr for obj in session.new if isinstance(obj, OutgoingMail) and obj.automatic]
    cap = config.automatic_hourly_cap
    if len(queued) >= cap or _known_full(session, cap, now):
        return "hourly_cap"  # what the count below would say
    rows = (
        session.connection()
        .execute(
            _COUNTED,
            {
                "hour": now - timedelta(hours=1),
                "cap": cap,
                "day": now - timedelta(days=1),
                "pattern": _like_domain(domain),
            },
        )
        .all()
    )
    written, oldest = rows[0][0], rows[0][2]
    if written >= cap and oldest is not None:
        _note_full(session, cap, oldest)
    if written + len(queued) >= cap:
        return "hourly_cap"
    same_domain = [to_addr for _, to_addr, _ in rows if to_addr is not None] + [
        addr for addr in queued if address_key(addr).rpartition("@")[2] == domain
    ]
    if sum(address_key(a) == key for a in same_domain) >= config.receipt_daily_cap:
        return "daily_cap"
    if len(same_domain) >= config.automatic_domain_daily_cap:
        return "domain_cap"
    return ""
