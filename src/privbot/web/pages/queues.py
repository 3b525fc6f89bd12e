"""Supervisor queues: by status, due within 7 days, overdue, flagged for review, by intent and by
assignee. Every filter and the sort order are query parameters, so a view can be bookmarked.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar
from starlette.responses import Response

from privbot.classify.result import Intent
from privbot.mailboxes import visible
from privbot.models import IS_OPEN, Case, Status, User
from privbot.web.deps import CurrentSupervisor, MailboxScope, Scope, SessionDep
from privbot.web.labels import N_
from privbot.web.listing import EFFECTIVE_DUE, has_intent, paginate
from privbot.web.render import page

router = APIRouter()
View = Literal["open", "due7", "overdue", "review", "all"]
VIEWS: dict[str, str] = {
    "open": N_("Open"),
    "due7": N_("Due within 7 days"),
    "overdue": N_("Overdue"),
    "review": N_("Flagged for review"),
    "all": N_("All"),
}
SORTS: dict[str, Any] = {
    "due": EFFECTIVE_DUE,
    "received": col(Case.received_at),
    "reference": col(Case.reference),
    "status": col(Case.status),
    "assignee": col(Case.assignee),
}


def filtered(
    view: str, status: str, intent: str, assignee: str, today: date, scope: Scope = None
) -> SelectOfScalar[Case]:
    query: SelectOfScalar[Case] = visible(select(Case), scope)
    if view != "all" and not status:
        query = query.where(IS_OPEN)
    if view == "due7":
        query = query.where(today <= EFFECTIVE_DUE, today + timedelta(days=7) >= EFFECTIVE_DUE)
    elif view == "overdue":
        query = query.where(today > EFFECTIVE_DUE)
    elif view == "review":
        query = query.where(Case.needs_review == True)  # noqa: E712
    if status:
        query = query.where(Case.status == status)
    if intent:
        query = query.where(has_intent(intent))
    if assignee == "-":
        query = query.where(Case.assignee == "")
    elif assignee:
        query = query.where(Case.assignee == assignee)
    return query


@router.get("/queues")
def queues(
    request: Request,
    session: SessionDep,
    user: CurrentSupervisor,
    scope: MailboxScope,
    view: View = "open",
    status: Annotated[Status | Literal[""], Query()] = "",
    intent: Annotated[Intent | Literal[""], Query()] = "",
    assignee: Annotated[str, Query(max_length=100)] = "",
    sort: Literal["due", "received", "reference", "status", "assignee"] = "due",
    order: Literal["asc", "desc"] = "asc",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    today = date.today()
    key = SORTS[sort]
    order_by = [
        key.desc() if order == "desc" else key,
        col(Case.id).desc() if order == "desc" else col(Case.id),
    ]
    listing = paginate(
        session, filtered(view, status, intent, assignee, today, scope), order_by, page_no
    )
    users = [u.name for u in session.exec(select(User).order_by(col(User.name))).all()]
    params = {
        "view": view,
        "status": status,
        "intent": intent,
        "assignee": assignee,
        "mailbox": request.query_params.get("mailbox", ""),
        "sort": sort,
        "order": order,
    }
    return page(
        request,
        "queues.html",
        user=user,
        listing=listing,
        params=params,
        views=VIEWS,
        statuses=[s.value for s in Status],
        intents=[i.value for i in Intent],
        users=users,
    )
