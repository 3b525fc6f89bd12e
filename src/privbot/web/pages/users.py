"""Each user's own settings (the language of the staff app) and the supervisors' user admin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from privbot.cases.store import audit
from privbot.web.deps import CSRF, CurrentStaff, SessionDep
from privbot.web.i18n import LANGUAGES
from privbot.web.pages.login import _safe_next

router = APIRouter()


@router.post("/me/language", dependencies=[CSRF])
def choose_language(
    request: Request,
    session: SessionDep,
    user: CurrentStaff,
    language: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=500)] = "/inbox",
) -> Response:
    """The signed-in user's language for the staff app, kept with the user."""
    if language in LANGUAGES and language != user.language:
        user.language = language
        session.add(user)
        audit(session, None, "language_chosen", actor=user.name, language=language)
        session.commit()
    return RedirectResponse(_safe_next(next), status_code=303)
