"""What the case lists share: the effective deadline as SQL, paging, and a masked row per case.

The inbox and the supervisor queues build their own filters; this module turns a filtered
query into one page of rows whose requester is masked (`pnr.mask`), never the full text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from privbot.models import NOT_CLOSED, Case, CaseIntent, Status
from privbot.pnr import mask
from privbot.web.i18n import working_days_left

PAGE_SIZE = 50
# Matches counted beyond a page's start: a list of a million cases says "more than" rather
# than counting them all for every page it shows.
COUNT_AHEAD = 1000
EFFECTIVE_DUE = func.coalesce(col(Case.extended_due), col(Case.due))


@dataclass(frozen=True)
class Row:
    reference: str
    requester: str  # masked
    intents: list[str]
    language: str
    channel: str
    status: str
    assignee: str
    received: date
    due: date
    days_left: int
    needs_review: bool
    outcome: str = ""
    working_days_left: int = 0
    third_party: bool = False
    delivery_problem: bool = False  # the last reply did not arrive
    notify_by: datetime | None = None  # an open breach: report to the authority by then
    mailbox: str = ""


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    number: int
    total: int  # the matches, or with `capped` the number counted (there are more)
    capped: bool = False

    @property
    def pages(self) -> int:
        """The pages known to exist (with `capped`, more follow)."""
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def has_next(self) -> bool:
        return self.capped or self.number < self.pages


def has_intent(intent: str) -> Any:
    """Cases with this intent, found through `caseintent` (a rare intent is a few index
    entries there, where a pattern on the JSON list would read every case)."""
    return col(Case.id).in_(select(CaseIntent.case_id).where(CaseIntent.intent == intent))


def requester_label(case: Case) -> str:
    if case.requester_name and case.requester_email:
        return mask("%s <%s>" % (case.requester_name, case.requester_email))
    return mask(case.requester_name or case.requester_email or "—")


def row(case: Case, today: date) -> Row:
    due = case.extended_due or case.due
    return Row(
        reference=case.reference,
        requester=requester_label(case),
        intents=list(case.intents),
        language=case.language,
        channel=case.channel,
        status=case.status.value,
        assignee=case.assignee,
        received=case.received_at.date(),
        due=due,
        days_left=(due - today).days,
        needs_review=case.needs_review,
        outcome=case.outcome.value if case.outcome else "",
        working_days_left=working_days_left(due, today),
        third_party=case.third_party,
        delivery_problem=bool(case.delivery_problem),
        notify_by=case.notify_by if case.status != Status.closed else None,
        mailbox=case.mailbox,
    )


def paginate(session: Session, query: SelectOfScalar[Case], order: list[Any], number: int) -> Page:
    """One page of `query` (already filtered) in `order`, open breaches first, with the count
    of matches up to `COUNT_AHEAD` beyond the page's start (more are shown as "more than").

    The open breaches (few, found by ix_case_notify_by) and the other cases are read apart,
    each in `order`: one ORDER BY that began with the breach key would sort every match before
    the first page could be cut, where `order` alone can follow an index. The page's ids are
    found first and its rows read by id, so the rows skipped before the page (OFFSET) are
    index entries, never table rows."""
    number = max(1, number)
    offset = (number - 1) * PAGE_SIZE
    cap = offset + COUNT_AHEAD
    ids = query.order_by(None).with_only_columns(col(Case.id))
    counted = int(
        session.scalar(select(func.count()).select_from(ids.limit(cap + 1).subquery())) or 0
    )
    # Ids only, so that SQLite reads them from ix_case_notify_by (asked for more, or for "not
    # closed" too, its planner may scan the table or the open cases instead).
    reported = list(session.exec(select(Case.id).where(col(Case.notify_by).is_not(None))).all())
    open_breaches = (
        list(session.exec(select(Case.id).where(col(Case.id).in_(reported), NOT_CLOSED)).all())
        if reported
        else []
    )
    cases: list[Case] = []
    rest = query
    if open_breaches:
        breaches = query.where(col(Case.id).in_(open_breaches)).order_by(*order)
        matching = list(session.exec(breaches).all())
        cases = matching[offset : offset + PAGE_SIZE]
        offset = max(0, offset - len(matching))
        rest = query.where(col(Case.id).not_in(open_breaches))
    if len(cases) < PAGE_SIZE:
        wanted = list(
            session.scalars(
                rest.with_only_columns(col(Case.id))
                .order_by(*order)
                .offset(offset)
                .limit(PAGE_SIZE - len(cases))
            ).all()
        )
        found = {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(wanted)))}
        cases += [found[i] for i in wanted if i in found]
    today = date.today()
    return Page([row(c, today) for c in cases], number, min(counted, cap), counted > cap)
