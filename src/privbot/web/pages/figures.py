"""Supervisor figures: requests per month per intent (an inline SVG bar chart drawn by the
template), median and 90th-percentile handling time, the share answered within the deadline,
and the open load per staff member.

A case counts as answered when its first approved reply was sent, or else when it was closed;
duplicates are left out. Handling time is counted in calendar days from receipt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from statistics import median, quantiles

from fastapi import APIRouter, Request
from sqlalchemy import func, or_, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select
from starlette.responses import Response

from privbot.classify.result import Intent
from privbot.models import Case, Outcome, OutgoingMail, OutStatus, Status, utcnow
from privbot.web.deps import CurrentSupervisor, MailboxScope, Scope, SessionDep
from privbot.web.render import page

router = APIRouter()
MONTHS = 12


@dataclass(frozen=True)
class Figures:
    months: list[str]  # "2026-01" ... oldest first
    per_month: dict[str, Counter[str]]  # month -> intent -> count (main intent)
    answered: int
    on_time: int
    median_days: float | None
    p90_days: float | None
    open_load: list[tuple[str, int]]
    breaches: int = 0  # personal data breaches reported in the months shown
    breaches_open: int = 0

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def max_month(self) -> int:
        return max((sum(c.values()) for c in self.per_month.values()), default=0)


def _month_list(today: date) -> list[str]:
    year, month, out = today.year, today.month, []
    for _ in range(MONTHS):
        out.append("%04d-%02d" % (year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def compute(session: Session, today: date, scope: Scope = None) -> Figures:
    """The figures of the mailboxes in `scope` (None: all of them)."""
    months = _month_list(today)
    mine = true() if scope is None else col(Case.mailbox).in_(list(scope))
    since = datetime(int(months[0][:4]), int(months[0][5:]), 1, tzinfo=UTC)
    per_month: dict[str, Counter[str]] = {m: Counter() for m in months}
    breaches = breaches_open = 0
    for status in session.exec(
        select(Case.status).where(Case.received_at >= since, col(Case.notify_by).is_not(None), mine)
    ).all():
        breaches += 1
        breaches_open += status != Status.closed
    for received, intents in session.exec(
        select(Case.received_at, Case.intents).where(Case.received_at >= since, mine)
    ).all():
        per_month.setdefault(received.strftime("%Y-%m"), Counter())[
            intents[0] if intents else "other"
        ] += 1

    first_reply = (
        select(OutgoingMail.case_id, func.min(OutgoingMail.sent_at).label("sent"))
        .where(OutgoingMail.automatic == False, OutgoingMail.status == OutStatus.sent)  # noqa: E712
        .group_by(col(OutgoingMail.case_id))
        .subquery()
    )
    rows = session.execute(  # five columns: more than sqlmodel's typed select() takes
        sa_select(
            col(Case.received_at),
            col(Case.due),
            col(Case.extended_due),
            col(Case.closed_at),
            first_reply.c.sent,
        )
        .outerjoin(first_reply, first_reply.c.case_id == Case.id)
        .where(or_(col(Case.outcome).is_(None), col(Case.outcome) != Outcome.duplicate))
        .where(or_(first_reply.c.sent.is_not(None), col(Case.closed_at).is_not(None)))
        .where(mine)
    ).all()
    days: list[float] = []
    on_time = 0
    for received, due, extended, closed, sent in rows:
        answered_at: datetime = sent or closed
        days.append((answered_at - received).total_seconds() / 86400)
        on_time += answered_at.date() <= (extended or due)
    load = session.exec(
        select(Case.assignee, func.count())
        .where(Case.status != Status.closed, mine)
        .group_by(col(Case.assignee))
        .order_by(func.count().desc())
    ).all()
    return Figures(
        months=months,
        per_month=per_month,
        answered=len(days),
        on_time=on_time,
        median_days=median(days) if days else None,
        p90_days=quantiles(days, n=10, method="inclusive")[-1]
        if len(days) >= 2
        else (days[0] if days else None),
        open_load=[(name or "", int(n)) for name, n in load],
        breaches=breaches,
        breaches_open=breaches_open,
    )


@router.get("/figures")
def figures(
    request: Request, session: SessionDep, user: CurrentSupervisor, scope: MailboxScope
) -> Response:
    figs = compute(session, utcnow().date(), scope)
    shown = [i.value for i in Intent if any(c[i.value] for c in figs.per_month.values())]
    return page(request, "figures.html", user=user, figs=figs, intents=shown, palette=PALETTE)


PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#444444",
)
