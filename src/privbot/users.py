"""Staff accounts: adding users with a role and checking their passwords (argon2id).

Only the hash is stored. Sessions, CSRF and login throttling belong to the web app
(`web/auth.py`); the `privbot users` command calls `add_user` here.
"""

from __future__ import annotations

import logging

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from privbot.errors import PrivbotError
from privbot.models import Role, User

log = logging.getLogger(__name__)
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("privbot: compare against something when the user does not exist")
MIN_PASSWORD = 10


def add_user(session: Session, name: str, role: Role | str, password: str) -> User:
    """Create a user, or replace the role and password of an existing one."""
    name = name.strip()
    if not name or len(name) > 100 or any(ch.isspace() for ch in name):
        raise PrivbotError("a user name is 1 to 100 characters without spaces")
    try:
        role = Role(role)
    except ValueError:
        raise PrivbotError("role must be one of: %s" % ", ".join(r.value for r in Role)) from None
    if len(password) < MIN_PASSWORD:
        raise PrivbotError("a password needs at least %d characters" % MIN_PASSWORD)
    user = session.exec(select(User).where(User.name == name)).first() or User(
        name=name, password_hash=""
    )
    user.role = role
    user.password_hash = _hasher.hash(password)
    user.active = True
    session.add(user)
    session.flush()
    log.info("user %s saved with role %s", user.id, role.value)
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
