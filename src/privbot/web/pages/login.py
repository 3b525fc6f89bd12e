"""Signing in and out. Attempts are counted before the password is checked, per user name and
per client address (`web/auth.py`); signing out deletes the server-side session."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from privbot.cases.audit import audit
from privbot.users import authenticate
from privbot.web.auth import (
    admit_attempt,
    attempt_succeeded,
    client_address,
    end_session,
    start_session,
    throttle_keys,
)
from privbot.web.deps import CSRF, ConfigDep, SessionDep
from privbot.web.render import page

router = APIRouter()
log = logging.getLogger(__name__)


def _safe_next(target: str) -> str:
    """Only a local path, never another site (`//evil`, `/\\evil`, `https://...`)."""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and "\n" not in target
        and "\r" not in target
    ):
        return target
    return "/inbox"


@router.get("/login")
def login_form(request: Request, next: str = "/inbox") -> Response:
    return page(request, "login.html", next=_safe_next(next), user=None)


@router.post("/login", dependencies=[CSRF])
def login(
    request: Request,
    session: SessionDep,
    config: ConfigDep,
    name: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=500)] = "/inbox",
) -> Response:
    user_key, client_key = throttle_keys(name, client_address(request))
    if not admit_attempt(session, user_key, client_key):  # counted before any hashing
        log.warning("login throttled")
        return page(
            request,
            "login.html",
            status_code=429,
            next=_safe_next(next),
            user=None,
            error="Too many failed attempts. Wait a quarter of an hour and try again.",
        )
    user = authenticate(session, name, password)
    if user is None:
        audit(session, None, "login_failed", actor="web")
        session.commit()
        return page(
            request,
            "login.html",
            status_code=401,
            next=_safe_next(next),
            user=None,
            error="Wrong user name or password.",
        )
    attempt_succeeded(session, user_key, client_key)
    start_session(session, request, user, config)
    audit(session, None, "login", actor=user.name)
    session.commit()
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request, session: SessionDep) -> Response:
    user = end_session(session, request)
    if user is not None:
        audit(session, None, "logout", actor=user.name)
    session.commit()
    return RedirectResponse("/login", status_code=303)
