"""All cases, open and closed: `/cases` with every filter, the sort and the page in the query
string (so a view can be bookmarked or scripted), and `/cases/export.csv` with the same
filters, which writes the columns the table shows, for every matching case, in the same order.

Filters: status, intent, channel, assignee (`-` for nobody), language, received and due date
ranges (`received_from`, `received_to`, `due_from`, `due_to`, inclusive) and the flags
`needs_review`, `third_party`, `overdue`. A value the list does not know is a 400 with the
reason, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar
from starlette.responses import Response

from privbot.cases.audit import audit
from privbot.classify.result import Intent
from privbot.mailboxes import visible
from privbot.models import IS_OPEN, Case, Status, User
from privbot.web.deps import CurrentStaff, MailboxScope, Scope, SessionDep
from privbot.web.i18n import labeller
from privbot.web.labels import CHANNEL, LANGUAGE
from privbot.web.listing import EFFECTIVE_DUE, has_intent, paginate, row
from privbot.web.pages.audit import _csv, _download
from privbot.web.render import language_of, page, translate

router = APIRouter()
SORTS: dict[str, Any] = {
    "received": col(Case.received_at),
    "due": EFFECTIVE_DUE,
    "reference": col(Case.id),  # references are issued in id order
    "status": col(Case.status),
    "assignee": col(Case.assignee),
}
FLAGS = ("needs_review", "third_party", "overdue")
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Filters:
    status: str = ""
    intent: str = ""
    channel: str = ""
    assignee: str = ""
    language: str = ""
    received_from: str = ""
    received_to: str = ""
    due_from: str = ""
    due_to: str = ""
    needs_review: bool = False
    third_party: bool = False
    overdue: bool = False
    mailbox: str = ""  # checked against the config and the user by `mailbox_scope`
    sort: str = "received"
    order: str = "desc"

    def query_string(self, **changes: Any) -> str:
        """The filters as a query string, leaving out what is unset (for links and the pager)."""
        values = {**asdict(self), **changes}
        return urlencode(
            {k: ("1" if v is True else v) for k, v in values.items() if v not in ("", False)}
        )


def _one(params: Any, name: str, allowed: Any = None, limit: int = 100) -> str:
    values = params.getlist(name)
    if len(values) > 1:
        raise HTTPException(status_code=400, detail="give %s once" % name)
    value = (values[0] if values else "").strip()
    if len(value) > limit:
        raise HTTPException(status_code=400, detail="%s is too long" % name)
    if value and allowed is not None and value not in allowed:
        raise HTTPException(status_code=400, detail="unknown %s: %s" % (name, value[:40]))
    return value


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(
            status_code=400, detail="%s is not a date (YYYY-MM-DD)" % name
        ) from None


def parse(request: Request) -> Filters:
    p = request.query_params
    filters = Filters(
        status=_one(p, "status", {s.value for s in Status}),
        intent=_one(p, "intent", {i.value for i in Intent}),
        channel=_one(p, "channel", set(CHANNEL)),
        assignee=_one(p, "assignee"),
        language=_one(p, "language", set(LANGUAGE)),
        received_from=_one(p, "received_from", limit=10),
        received_to=_one(p, "received_to", limit=10),
        due_from=_one(p, "due_from", limit=10),
        due_to=_one(p, "due_to", limit=10),
        needs_review=_one(p, "needs_review", {"1", "true", "on"}) != "",
        third_party=_one(p, "third_party", {"1", "true", "on"}) != "",
        overdue=_one(p, "overdue", {"1", "true", "on"}) != "",
        mailbox=_one(p, "mailbox", limit=40),
        sort=_one(p, "sort", set(SORTS)) or "received",
        order=_one(p, "order", {"asc", "desc"}) or "desc",
    )
    for name in ("received_from", "received_to", "due_from", "due_to"):
        _day(getattr(filters, name), name)
    return filters


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filtered(f: Filters, today: date, scope: Scope = None) -> SelectOfScalar[Case]:
    """The matching cases among those of the mailboxes in `scope` (None: every mailbox)."""
    query: SelectOfScalar[Case] = visible(select(Case), scope)
    if f.status:
        query = query.where(Case.status == f.status)
    if f.intent:
        query = query.where(has_intent(f.intent))
    if f.channel:
        query = query.where(Case.channel == f.channel)
    if f.assignee == "-":
        query = query.where(Case.assignee == "")
    elif f.assignee:
        query = query.where(Case.assignee == f.assignee)
    if f.language:
        query = query.where(Case.language == f.language)
    if since := _day(f.received_from, "received_from"):
        query = query.where(Case.received_at >= _start(since))
    if until := _day(f.received_to, "received_to"):
        query = query.where(Case.received_at < _start(until + timedelta(days=1)))
    if since := _day(f.due_from, "due_from"):
        query = query.where(EFFECTIVE_DUE >= since)
    if until := _day(f.due_to, "due_to"):
        query = query.where(EFFECTIVE_DUE <= until)
    if f.needs_review:
        query = query.where(Case.needs_review == True)  # noqa: E712
    if f.third_party:
        query = query.where(Case.third_party == True)  # noqa: E712
    if f.overdue:
        query = query.where(IS_OPEN, EFFECTIVE_DUE < today)
    return query


def order_by(f: Filters) -> list[Any]:
    key = SORTS[f.sort]
    if f.order == "desc":
        return [key.desc(), col(Case.id).desc()]
    return [key, col(Case.id)]


def _page_number(request: Request) -> int:
    raw = _one(request.query_params, "page", limit=6) or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise HTTPException(status_code=400, detail="page is a number from 1 to %d" % MAX_PAGE)
    return int(raw)


@router.get("/cases")
def all_cases(
    request: Request, session: SessionDep, user: CurrentStaff, scope: MailboxScope
) -> Response:
    f = parse(request)
    listing = paginate(
        session, filtered(f, date.today(), scope), order_by(f), _page_number(request)
    )
    users = [u.name for u in session.exec(select(User).order_by(col(User.name))).all()]
    return page(
        request,
        "cases.html",
        user=user,
        listing=listing,
        params=asdict(f),
        filters=f,
        query=f.query_string() + "&" if f.query_string() else "",
        sort_query=f.query_string(sort="", order="") + "&"
        if f.query_string(sort="", order="")
        else "",
        sortable=True,
        statuses=[s.value for s in Status],
        intents=[i.value for i in Intent],
        channels=list(CHANNEL),
        languages_known=list(LANGUAGE),
        users=users,
    )


CSV_COLUMNS = (
    "Reference",
    "Requester",
    "Intents",
    "Language",
    "Channel",
    "Status",
    "Outcome",
    "Assignee",
    "Received",
    "Due",
    "Days left",
    "Flags",
)


@router.get("/cases/export.csv")
def export_csv(
    request: Request, session: SessionDep, user: CurrentStaff, scope: MailboxScope
) -> Response:
    """The list as shown (same filters, order, columns and language), every matching case."""
    f = parse(request)
    language = language_of(request)
    audit(session, None, "cases_exported", actor=user.name, filters=f.query_string())
    session.commit()
    engine = request.app.state.engine
    label = labeller(language)
    today = date.today()
    header = tuple(translate(request, c) for c in CSV_COLUMNS)
    flag_names = (translate(request, "review"), translate(request, "third party"))

    def rows() -> Iterator[list[object]]:
        with Session(engine) as s:
            query = (
                filtered(f, today, scope).order_by(*order_by(f)).execution_options(yield_per=1000)
            )
            for case in s.exec(query):
                r = row(case, today)
                yield [
                    r.reference,
                    r.requester,
                    ", ".join(label("intent", i) for i in r.intents),
                    label("language", r.language),
                    label("channel", r.channel),
                    label("status", r.status),
                    label("outcome", r.outcome) if r.outcome else "",
                    r.assignee,
                    r.received.isoformat(),
                    r.due.isoformat(),
                    "" if r.status == Status.closed else r.days_left,
                    " ".join(
                        name
                        for name, on in zip(
                            flag_names, (r.needs_review, r.third_party), strict=True
                        )
                        if on
                    ),
                ]

    return _download("cases-%s.csv" % today.isoformat(), _csv(header, rows()))
