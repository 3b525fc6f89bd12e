"""Server-rendered pages: `page()` renders one template in the reader's language.

The language is the signed-in user's choice, else the company's default (`[web] language`);
each language has its own autoescaping Jinja environment (`i18n.py`). Every page gets the
signed-in user, the CSRF token for its forms and any one-shot flash message; lists mask
personnummer with the `mask` filter.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import HTMLResponse, Response

from privbot import mailboxes
from privbot.web.auth import csrf_token
from privbot.web.i18n import LANGUAGES, days_left, effective_due, environment, translations

__all__ = ["days_left", "effective_due", "flash", "language_of", "page", "translate"]


def language_of(request: Request) -> str:
    """The reader's language: the user's own choice, else the company's default."""
    user = getattr(request.state, "user", None)
    chosen = getattr(user, "language", "") or ""
    if chosen in LANGUAGES:
        return chosen
    default: str = getattr(request.app.state.config, "web_language", LANGUAGES[0])
    return default if default in LANGUAGES else LANGUAGES[0]


def translate(request: Request, message: str, **values: Any) -> str:
    """`message` in the reader's language, with `%(name)s` placeholders filled from `values`."""
    text = translations(language_of(request)).gettext(message)
    return text % values if values else text


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A message shown once on the next page (kept in the session)."""
    request.session["flash"] = [kind, message[:300]]


def mailbox_names(request: Request) -> dict[str, str]:
    """The mailboxes the signed-in user may see, key -> company name; empty with one mailbox
    (the pages then show no mailbox at all)."""
    boxes = request.app.state.config.mailboxes
    if len(boxes) < 2:
        return {}
    user = getattr(request.state, "user", None)
    return {b.key: b.name for b in boxes if mailboxes.can_see_mailbox(user, b.key)}


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    shown = request.session.pop("flash", None)
    context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("mailbox_names", mailbox_names(request))
    template = environment(language_of(request)).get_template(name)
    html = template.render(request=request, csrf=csrf_token(request), flash=shown, **context)
    return HTMLResponse(html, status_code=status_code)
