"""Server-rendered pages: the Jinja2 environment (autoescaped) and `page()` to render one.

Every page gets the signed-in user, the CSRF token for its forms and any one-shot flash
message; lists mask personnummer with the `mask` filter.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from privbot.models import Case
from privbot.pnr import mask
from privbot.web.auth import csrf_token

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["mask"] = mask
templates.env.globals["today"] = date.today


def effective_due(case: Case) -> date:
    return case.extended_due or case.due


def days_left(case: Case) -> int:
    return (effective_due(case) - date.today()).days


templates.env.globals["effective_due"] = effective_due
templates.env.globals["days_left"] = days_left


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A message shown once on the next page (kept in the signed session cookie)."""
    request.session["flash"] = [kind, message[:300]]


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    shown = request.session.pop("flash", None)
    context.setdefault("user", getattr(request.state, "user", None))
    return templates.TemplateResponse(
        request,
        name,
        {"csrf": csrf_token(request), "flash": shown, **context},
        status_code=status_code,
    )
