"""The staff inbox: open cases waiting for staff, nearest deadline first, requester masked."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from sqlmodel import col, select
from starlette.responses import Response

from privbot.mailboxes import visible
from privbot.models import NOT_CLOSED, Case, Status
from privbot.web.deps import CurrentStaff, MailboxScope, SessionDep
from privbot.web.listing import EFFECTIVE_DUE, paginate
from privbot.web.render import page

router = APIRouter()
WAITING_FOR_STAFF = (Status.new, Status.awaiting_identity, Status.in_progress, Status.draft_ready)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/inbox", status_code=303)


@router.get("/inbox")
def inbox(
    request: Request,
    session: SessionDep,
    user: CurrentStaff,
    scope: MailboxScope,
    mine: bool = False,
    page_no: int = Query(1, alias="page", ge=1, le=100_000),
) -> Response:
    # NOT_CLOSED adds nothing but lets ix_case_open_effective_due (partial) give the order
    query = visible(select(Case).where(col(Case.status).in_(WAITING_FOR_STAFF), NOT_CLOSED), scope)
    if mine:
        query = query.where(Case.assignee == user.name)
    listing = paginate(session, query, [EFFECTIVE_DUE, col(Case.id)], page_no)
    params = {"mailbox": request.query_params.get("mailbox", "")}  # checked by MailboxScope
    return page(request, "inbox.html", listing=listing, mine=mine, user=user, params=params)
