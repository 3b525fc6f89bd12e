"""Staff accounts: adding users with a role and checking their passwords (argon2id).

Only the hash is stored. Sessions, CSRF and login throttling belong to the web app
(`web/auth.py`); the `privbot users` command calls `add_user` here.
"""

from __future__ import annotations

import logging

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from privbot.cases.store import audit
from privbot.errors import NotFound, PrivbotError
from privbot.models import Role, User

log = logging.getLogger(__name__)
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("privbot: compare against something when the user does not exist")
MIN_PASSWORD = 10


def add_user(
    session: Session, name: str, role: Role | str, password: str, actor: str = "cli"
) -> User:
    """Create a user, or replace the role and password of an existing one (and enable it)."""
    name = name.strip()
    if not name or len(name) > 100 or any(ch.isspace() for ch in name) or "/" in name:
        raise PrivbotError("a user name is 1 to 100 characters without spaces or slashes")
    role = _check_role(role)
    if len(password) < MIN_PASSWORD:
        raise PrivbotError("a password needs at least %d characters" % MIN_PASSWORD)
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        user = User(name=name, role=role, password_hash=_hasher.hash(password))
        session.add(user)
        session.flush()
        audit(session, None, "user_added", actor=actor, user=user.name, role=role.value)
        log.info("user %s added with role %s", user.id, role.value)
        return user
    if user.role != role:
        set_role(session, user, role, actor)
    set_password(session, user, password, actor)
    if not user.active:
        enable(session, user, actor)
    return user


def find_user(session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name.strip())).first()
    if user is None:
        raise NotFound("no user %s" % name.strip())
    return user


def _check_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise PrivbotError("role must be one of: %s" % ", ".join(r.value for r in Role)) from None


def revoke_sessions(session: Session, user: User) -> int:
    """End every web session of this user; returns how many there were.

    Cookie sessions cannot be ended from the server: a disabled user is refused on the next
    request because each request reads the user (`web/deps.py`)."""
    return 0


def disable(session: Session, user: User, actor: str) -> User:
    """The user can no longer sign in, and their open sessions end now."""
    user.active = False
    session.add(user)
    ended = revoke_sessions(session, user)
    audit(session, None, "user_disabled", actor=actor, user=user.name, sessions_ended=ended)
    log.info("user %s disabled, %d session(s) ended", user.id, ended)
    return user


def enable(session: Session, user: User, actor: str) -> User:
    user.active = True
    session.add(user)
    audit(session, None, "user_enabled", actor=actor, user=user.name)
    return user


def set_password(session: Session, user: User, password: str, actor: str) -> User:
    """A new password; every session signed in with the old one ends."""
    if len(password) < MIN_PASSWORD:
        raise PrivbotError("a password needs at least %d characters" % MIN_PASSWORD)
    user.password_hash = _hasher.hash(password)
    session.add(user)
    ended = revoke_sessions(session, user)
    audit(session, None, "password_changed", actor=actor, user=user.name, sessions_ended=ended)
    return user


def set_role(session: Session, user: User, role: Role | str, actor: str) -> User:
    """A new role, in force from the user's next request (each request reads the role)."""
    new = _check_role(role)
    old, user.role = user.role, new
    session.add(user)
    audit(session, None, "role_changed", actor=actor, user=user.name, old=old.value, new=new.value)
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, or None (in about the same time either way)."""
    user = session.exec(select(User).where(User.name == name.strip())).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        session.add(user)
    return user
