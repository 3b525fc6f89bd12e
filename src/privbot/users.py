"""Staff accounts: adding users, checking passwords (argon2id), and every change to an account.

Only the hash is stored. `disable`, `enable`, `set_password` and `set_role` are the one way to
change an account (the `privbot users` commands and the supervisors' pages call them): each
writes an audit event, and disabling a user or changing a password ends their web sessions at
once. At most `HASH_SLOTS` argon2 hashes run at a time (64 MiB each), however many sign-ins
arrive together. Sessions, CSRF and the sign-in throttle are the web app's (`web/auth.py`).
"""

from __future__ import annotations

import logging
import os
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, delete, select

from privbot.cases.audit import audit
from privbot.errors import NotFound, PrivbotError
from privbot.models import Role, User, WebSession

log = logging.getLogger(__name__)
_hasher = PasswordHasher()
MIN_PASSWORD = 10
HASH_SLOTS = max(1, min(4, os.cpu_count() or 1))


class HashGate:
    """A bounded semaphore around argon2 that also remembers how many hashes ran at once."""

    def __init__(self, slots: int) -> None:
        self._slots = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self.running = 0
        self.peak = 0

    def __enter__(self) -> HashGate:
        self._slots.acquire()
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        return self

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self.running -= 1
        self._slots.release()


hash_gate = HashGate(HASH_SLOTS)


def _hash(password: str) -> str:
    with hash_gate:
        return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    with hash_gate:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


_DUMMY_HASH = _hasher.hash("privbot: compare against something when the user does not exist")


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100 or any(ch.isspace() for ch in name) or "/" in name:
        raise PrivbotError("a user name is 1 to 100 characters without spaces or slashes")
    return name


def _check_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise PrivbotError("role must be one of: %s" % ", ".join(r.value for r in Role)) from None


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise PrivbotError("a password needs at least %d characters" % MIN_PASSWORD)
    return password


def find_user(session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name.strip())).first()
    if user is None:
        raise NotFound("no user %s" % name.strip())
    return user


def add_user(
    session: Session, name: str, role: Role | str, password: str, actor: str = "cli"
) -> User:
    """Create a user, or replace the role and password of an existing one (and enable it)."""
    name, role, password = _check_name(name), _check_role(role), _check_password(password)
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        user = User(name=name, role=role, password_hash=_hash(password))
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


def revoke_sessions(session: Session, user: User) -> int:
    """End every web session of this user; returns how many there were."""
    result = session.exec(delete(WebSession).where(col(WebSession.user_id) == user.id))
    return int(result.rowcount or 0)


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
    user.password_hash = _hash(_check_password(password))
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


def set_mailboxes(
    session: Session, user: User, keys: list[str], known: list[str], actor: str
) -> User:
    """Limit the user to these mailboxes' cases (none: every mailbox), from the next request.

    `known` are the configured mailboxes; any other name is refused."""
    wanted = sorted({k.strip() for k in keys if k.strip()})
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise NotFound(
            "no mailbox %s in the config (known: %s)" % (", ".join(unknown), ", ".join(known))
        )
    old, user.mailboxes = list(user.mailboxes), wanted
    session.add(user)
    audit(session, None, "mailboxes_changed", actor=actor, user=user.name, old=old, new=wanted)
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, or None (in about the same time either way)."""
    user = session.exec(select(User).where(User.name == name.strip())).first()
    if not _verify(user.password_hash if user else _DUMMY_HASH, password):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hash(password)
        session.add(user)
    return user
