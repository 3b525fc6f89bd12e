"""Signing in for the web app: the cookie secret, CSRF tokens and login throttling.

The session itself is Starlette's signed cookie (HttpOnly, SameSite=Strict) holding only the
user id and the CSRF token; every state-changing route is a POST checked by `check_csrf`.
Password hashing lives in `privbot/users.py`.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from fastapi import HTTPException, Request

from privbot.config import Config
from privbot.datadir import private_dir

SESSION_COOKIE = "privbot_session"
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60.0


def secret_key(config: Config) -> str:
    """The cookie-signing key, created once (mode 0600) in the data directory."""
    path = Path(config.home) / "web-secret.key"
    if not path.exists():
        private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse a POST whose form lacks this session's token or that comes from another origin."""
    origin = request.headers.get("origin")
    if (
        origin
        and origin != "null"
        and origin.split("://", 1)[-1] != request.headers.get("host", "")
    ):
        raise HTTPException(status_code=403, detail="cross-origin request refused")
    form = await request.form()
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if (
        not isinstance(sent, str)
        or not isinstance(expected, str)
        or not hmac.compare_digest(sent, expected)
    ):
        raise HTTPException(
            status_code=403,
            detail="the form has expired or did not come from this site; reload the page and try again",
        )


class Throttle:
    """At most MAX_FAILURES failed logins per user name and per client address in the window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] < now - self.window:
            times.popleft()
        return times

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.max_failures for k in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget idle keys so the table stays small
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
