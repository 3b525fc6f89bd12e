"""The requester's identity link `/verify/{token}`: a page with a button, then the confirmation.

GET only shows the button (mail scanners open links; people press buttons); POST uses the
one-time link through `cases/identity.py`, which verifies the case and redrafts its reply.
The page's wording is data in `chat/messages.toml` (`ui.verify_*`).
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse

from privbot.cases import identity, outbox
from privbot.db import session_scope
from privbot.web.pages.chat import _bot, _page

router = APIRouter()


def _context(
    request: Request, language: str, state: str, token: str = "", reference: str = ""
) -> dict[str, object]:
    return {
        "language": language,
        "ui": _bot(request).texts.ui(language),
        "state": state,
        "token": token,
        "reference": reference,
    }


@router.get("/verify/{token}", response_class=HTMLResponse)
def verify_page(token: str, request: Request) -> HTMLResponse:
    with session_scope(request.app.state.engine) as session:
        case = identity.pending_link(session, token)
        language = case.language if case else "sv"
    state = "ask" if case else "invalid"
    return _page(
        request,
        "verify.html",
        _context(request, language, state, token=token),
        200 if case else 404,
    )


@router.post("/verify/{token}", response_class=HTMLResponse)
def verify(token: str, request: Request, background: BackgroundTasks) -> HTMLResponse:
    app = request.app
    with session_scope(app.state.engine) as session:
        case = identity.confirm_link(session, app.state.config, app.state.replies, token)
        found = (case.language, case.reference) if case else None
    if found is None:
        return _page(request, "verify.html", _context(request, "sv", "invalid"), 404)
    background.add_task(outbox.deliver, app.state.engine, app.state.config)
    return _page(request, "verify.html", _context(request, found[0], "done", reference=found[1]))
