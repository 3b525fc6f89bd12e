"""Signing in for the web app: the cookie secret, server-side sessions, CSRF and the throttle.

The cookie is Starlette's signed cookie (HttpOnly, SameSite=Strict, Secure with `[web]
https_only`) holding a random session token and the CSRF token. Only the token's sha256 is
stored, in `WebSession`, with an absolute and an idle limit; deleting the row (logout,
`users.disable`, `users.set_password`) ends the session whatever the cookie says.

Sign-in attempts are counted in the database *before* the password is hashed, per user name and
per client address, by one atomic upsert; so parallel guesses and several processes share one
count. A successful sign-in gives its attempt back. Password hashing lives in `privbot/users.py`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from fastapi import HTTPException, Request
from sqlalchemy import case, literal
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, delete, or_, update

from privbot.config import Config
from privbot.datadir import private_dir
from privbot.errors import ConfigError
from privbot.models import LoginCounter, User, WebSession, utcnow

SESSION_COOKIE = "privbot_session"
MAX_USER_ATTEMPTS = 5  # failed sign-ins per user name in the window
MAX_CLIENT_ATTEMPTS = 20  # ... and per client address (an office behind one NAT mistypes too)
WINDOW = timedelta(minutes=15)
TOUCH_EVERY = timedelta(seconds=60)  # how often a session's last_seen is written
MIN_SECRET = 32


def secret_key(config: Config) -> str:
    """The cookie-signing key, created once (mode 0600) in the data directory.

    An existing file that is empty or short is refused: cookies signed with it could be forged.
    """
    path = Path(config.home) / "web-secret.key"
    if not path.exists():
        private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    try:
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("cannot read the web secret %s (%s)" % (path, exc)) from None
    if len(key) < MIN_SECRET:
        raise ConfigError(
            "the web secret %s is empty or shorter than %d characters; delete it and privbot "
            "makes a new one (everyone signs in again)" % (path, MIN_SECRET)
        )
    return key


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


def client_address(request: Request) -> str:
    """The peer's address. X-Forwarded-For counts only from `[web] trusted_proxies`, which the
    app's proxy-headers middleware applies before any route sees the request."""
    return request.client.host if request.client else "?"


# --- server-side sessions -------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(db: Session, request: Request, user: User, config: Config) -> None:
    """A new session for `user` (a fresh token and CSRF token; nothing carried over)."""
    now = utcnow()
    idle = timedelta(minutes=config.session_idle_minutes)
    db.exec(  # sweep ended sessions while here
        delete(WebSession).where(
            or_(col(WebSession.expires_at) <= now, col(WebSession.last_seen) <= now - idle)
        )
    )
    token = secrets.token_urlsafe(32)
    assert user.id is not None
    db.add(
        WebSession(
            id=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen=now,
            expires_at=now + timedelta(hours=config.session_hours),
        )
    )
    request.session.clear()
    request.session["sid"] = token
    csrf_token(request)


def session_user(db: Session, request: Request, config: Config) -> User | None:
    """The active user of this request's live session, or None. Ends an expired session."""
    token = request.session.get("sid")
    if not isinstance(token, str) or len(token) > 200:
        return None
    row = db.get(WebSession, _digest(token))
    if row is None:
        return None
    now = utcnow()
    user = db.get(User, row.user_id)
    idle = timedelta(minutes=config.session_idle_minutes)
    if row.expires_at <= now or row.last_seen <= now - idle or user is None or not user.active:
        db.delete(row)
        db.commit()
        return None
    if now - row.last_seen >= TOUCH_EVERY:
        row.last_seen = now
        db.add(row)
        db.commit()
    return user


def end_session(db: Session, request: Request) -> User | None:
    """Log out: the stored session is deleted, so a copy of the cookie is worthless."""
    token = request.session.get("sid")
    request.session.clear()
    if not isinstance(token, str):
        return None
    row = db.get(WebSession, _digest(token))
    if row is None:
        return None
    user = db.get(User, row.user_id)
    db.delete(row)
    return user


# --- the sign-in throttle -------------------------------------------------------------------


def _count(db: Session, key: str, now: datetime) -> int:
    """Add one attempt to `key`'s window (a new window if the old one is over); the new count.

    One INSERT .. ON CONFLICT DO UPDATE .. RETURNING: atomic on SQLite (one writer) and on
    PostgreSQL (the row is locked), so concurrent attempts never read the same count.
    """
    table = LoginCounter.__table__  # type: ignore[attr-defined]
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    stale = table.c.window_start <= now - WINDOW
    statement = (
        insert(table)
        .values(key=key, window_start=now, attempts=1)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "attempts": case((stale, 1), else_=table.c.attempts + 1),
                "window_start": case(
                    (stale, literal(now, table.c.window_start.type)),
                    else_=table.c.window_start,
                ),
            },
        )
        .returning(table.c.attempts)
    )
    return int(db.execute(statement).scalar_one())


def throttle_keys(name: str, client: str) -> tuple[str, str]:
    return "user:" + name.strip().lower()[:100], "addr:" + client[:100]


def admit_attempt(db: Session, user_key: str, client_key: str) -> bool:
    """Count this sign-in attempt and commit, before any password is hashed. False when the
    user name or the client has used up its attempts in the window."""
    now = utcnow()
    db.exec(delete(LoginCounter).where(col(LoginCounter.window_start) <= now - WINDOW))
    # Always the same order, so two transactions on PostgreSQL never wait for each other crosswise.
    counts = {key: _count(db, key, now) for key in sorted((user_key, client_key))}
    db.commit()
    return counts[user_key] <= MAX_USER_ATTEMPTS and counts[client_key] <= MAX_CLIENT_ATTEMPTS


def attempt_succeeded(db: Session, user_key: str, client_key: str) -> None:
    """A right password: the user name starts afresh and the client gets its attempt back."""
    db.exec(delete(LoginCounter).where(col(LoginCounter.key) == user_key))
    db.exec(
        update(LoginCounter)
        .where(col(LoginCounter.key) == client_key, col(LoginCounter.attempts) > 0)
        .values(attempts=col(LoginCounter.attempts) - 1)
    )
