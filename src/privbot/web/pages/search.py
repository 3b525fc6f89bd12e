"""`/search?q=...`: cases by reference, requester name or address, subject and message text,
closed ones included, best match first (the database's own full-text engine, `search.py`).

Matching words are marked in the results after escaping; a personnummer is found by its number
in any written form but shown masked, like every list.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from privbot.search import search
from privbot.web.deps import CurrentStaff, MailboxScope, SessionDep
from privbot.web.render import page

router = APIRouter()
PER_PAGE = 20


@router.get("/search")
def search_page(
    request: Request,
    session: SessionDep,
    user: CurrentStaff,
    scope: MailboxScope,
    q: Annotated[str, Query(max_length=200)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=50)] = 1,
) -> Response:
    results = search(session, q, page_no, PER_PAGE, scope) if q.strip() else None
    return page(request, "search.html", user=user, q=q, results=results)
