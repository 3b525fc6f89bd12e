"""FastAPI dependencies as `Annotated` aliases: the database session, the config, the signed-in
user and the CSRF check. Pages declare what they need in their signatures.

`current_staff` is the one way in: `web/app.py` puts it on every staff router and on the `/api`
router, so a route added there is protected even if its signature forgets it, and a test walks
the routes to check. It reads the server-side session (`web/auth.py`) and the user's active flag
on every request. Without a live session a page raises `SignInRequired` (a redirect to /login)
and `/api/*` answers 401; a user whose role is too low gets 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from privbot import mailboxes
from privbot.config import Config
from privbot.models import Role, User
from privbot.web.auth import check_csrf, session_user


class SignInRequired(Exception):
    """Raised by `current_staff` when nobody is signed in; answered with a redirect to /login."""


def get_session(request: Request) -> Iterator[Session]:
    """A session the route commits itself (`session.commit()`); anything uncommitted is rolled back."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_config(request: Request) -> Config:
    config: Config = request.app.state.config
    return config


SessionDep = Annotated[Session, Depends(get_session)]
ConfigDep = Annotated[Config, Depends(get_config)]


def current_staff(request: Request, session: SessionDep, config: ConfigDep) -> User:
    user = session_user(session, request, config)
    if user is None:
        request.session.pop("sid", None)
        if request.url.path.startswith("/api/"):
            raise HTTPException(status_code=401, detail="sign in first")
        raise SignInRequired()
    request.state.user = user
    return user


def current_supervisor(user: Annotated[User, Depends(current_staff)]) -> User:
    if user.role not in (Role.supervisor, Role.admin):
        raise HTTPException(status_code=403, detail="this page is for supervisors")
    return user


CurrentStaff = Annotated[User, Depends(current_staff)]
CurrentSupervisor = Annotated[User, Depends(current_supervisor)]
Scope = tuple[str, ...] | None


def mailbox_scope(request: Request, user: CurrentStaff, config: ConfigDep) -> Scope:
    """The mailboxes a list or export shows: the signed-in user's, narrowed by `?mailbox=`.

    None means every mailbox. A mailbox the config does not have is a 400; one the user is
    not allowed to see is a 403."""
    wanted = request.query_params.get("mailbox", "").strip()
    if wanted and wanted not in {box.key for box in config.mailboxes}:
        raise HTTPException(status_code=400, detail="unknown mailbox: %s" % wanted[:40])
    if wanted and not mailboxes.can_see_mailbox(user, wanted):
        raise HTTPException(status_code=403, detail="this mailbox is not yours")
    return mailboxes.scope(user, wanted)


MailboxScope = Annotated[Scope, Depends(mailbox_scope)]
STAFF = Depends(current_staff)  # on every staff router: `include_router(r, dependencies=[STAFF])`
CSRF = Depends(check_csrf)  # use as `dependencies=[CSRF]` on every POST route
