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

from sqlalchemy import or_
from sqlmodel import Session, col, select

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


def refusal(session: Session, config: Config, to: str, now: datetime | None = None) -> str:
    """Why no automatic mail may go to `to` now ("" when it may)."""
    now = now or utcnow()
    to = to.strip().lower()
    if is_robot_address(to) or to in config.addresses or to == config.from_address:
        return "robot_address"
    key = address_key(to)
    domain = key.rpartition("@")[2]
    # One query for both caps (a round trip less per automatic mail): the automatic mail of the
    # last day that counts for either, each row saying which. The last hour lies within the day.
    recent = col(OutgoingMail.created_at) >= now - timedelta(hours=1)
    in_domain = col(OutgoingMail.to_addr).endswith("@" + domain, autoescape=True)
    rows = session.exec(
        select(OutgoingMail.to_addr, recent, in_domain).where(
            col(OutgoingMail.automatic).is_(True),
            OutgoingMail.created_at >= now - timedelta(days=1),
            or_(recent, in_domain),
        )
    ).all()
    if sum(1 for _, hour, _ in rows if hour) >= config.automatic_hourly_cap:
        return "hourly_cap"
    same_domain = [to_addr for to_addr, _, same in rows if same]
    if sum(address_key(a) == key for a in same_domain) >= config.receipt_daily_cap:
        return "daily_cap"
    if len(same_domain) >= config.automatic_domain_daily_cap:
        return "domain_cap"
    return ""
