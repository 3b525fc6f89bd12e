"""Each user's own settings (the language of the staff app) and the supervisors' user admin.

`/users` lists the staff; supervisors add users, disable and re-enable them, give them a new
password, change their role and the mailboxes they work in, through the same functions as the `privbot users` command
(`privbot/users.py`), which audit every change. A new or reset password is generated here and
shown once, in the response to the POST (never put in the session or a redirect). A supervisor
cannot disable or demote themselves, and only an administrator may make or change an
administrator.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session, col, select
from starlette.responses import Response

from privbot import mailboxes
from privbot import users as accounts
from privbot.cases.audit import audit
from privbot.errors import NotFound, PrivbotError
from privbot.models import Role, User
from privbot.web.deps import CSRF, ConfigDep, CurrentStaff, CurrentSupervisor, SessionDep
from privbot.web.i18n import LANGUAGES
from privbot.web.pages.login import _safe_next
from privbot.web.render import flash, mailbox_names, page, translate

router = APIRouter()
Name = Annotated[str, Path(pattern=r"^[^\s/]{1,100}$")]


def generated_password() -> str:
    """About 96 bits, easy to read out: four groups of four from an unambiguous alphabet."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def _listing(request: Request, session: Session, user: User, **extra: Any) -> Response:
    """The users; a supervisor limited to some mailboxes sees only those users of theirs."""
    people = [
        p
        for p in session.exec(select(User).order_by(col(User.name))).all()
        if p.id == user.id or mailboxes.within(user, p)
    ]
    return page(
        request,
        "users.html",
        user=user,
        people=people,
        roles=_grantable(user),
        grantable_mailboxes=list(mailbox_names(request)),  # a limited supervisor: theirs
        **extra,
    )


def _grantable(actor: User) -> list[str]:
    return [r.value for r in Role if r != Role.admin or actor.role == Role.admin]


def _target(session: Session, actor: User, name: str, self_ok: bool = False) -> User:
    try:
        target = accounts.find_user(session, name)
    except NotFound:
        raise HTTPException(status_code=404, detail="no such user") from None
    if target.id == actor.id and not self_ok:
        raise HTTPException(status_code=403, detail="you cannot do that to your own account")
    if target.role == Role.admin and actor.role != Role.admin:
        raise HTTPException(status_code=403, detail="only an administrator may change one")
    if not mailboxes.within(actor, target):
        raise HTTPException(status_code=403, detail="this user works in mailboxes not yours")
    return target


@router.get("/users")
def users_page(request: Request, session: SessionDep, user: CurrentSupervisor) -> Response:
    return _listing(request, session, user)


@router.post("/users", dependencies=[CSRF])
def add(
    request: Request,
    session: SessionDep,
    user: CurrentSupervisor,
    config: ConfigDep,
    name: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=20)] = "staff",
) -> Response:
    """A new user, limited to the adding supervisor's mailboxes when they are limited."""
    if role not in _grantable(user):
        raise HTTPException(status_code=403, detail="only an administrator may make one")
    if session.exec(select(User).where(User.name == name.strip())).first() is not None:
        flash(
            request,
            translate(request, "There is already a user called %(name)s.", name=name),
            "error",
        )
        return RedirectResponse("/users", status_code=303)
    password = generated_password()
    try:
        added = accounts.add_user(session, name, role, password, actor=user.name)
        if user.mailboxes:
            known = [box.key for box in config.mailboxes]
            accounts.set_mailboxes(session, added, list(user.mailboxes), known, user.name)
    except PrivbotError as exc:
        session.rollback()
        flash(request, str(exc), "error")
        return RedirectResponse("/users", status_code=303)
    session.commit()
    return _listing(request, session, user, shown=(added.name, password))


@router.post("/users/{name}/disable", dependencies=[CSRF])
def disable(request: Request, name: Name, session: SessionDep, user: CurrentSupervisor) -> Response:
    target = _target(session, user, name)
    accounts.disable(session, target, user.name)
    session.commit()
    flash(request, translate(request, "%(name)s is disabled.", name=target.name))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/enable", dependencies=[CSRF])
def enable(request: Request, name: Name, session: SessionDep, user: CurrentSupervisor) -> Response:
    target = _target(session, user, name)
    accounts.enable(session, target, user.name)
    session.commit()
    flash(request, translate(request, "%(name)s can sign in again.", name=target.name))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/password", dependencies=[CSRF])
def reset_password(
    request: Request, name: Name, session: SessionDep, user: CurrentSupervisor
) -> Response:
    target = _target(session, user, name)
    password = generated_password()
    accounts.set_password(session, target, password, user.name)
    session.commit()
    return _listing(request, session, user, shown=(target.name, password))


@router.post("/users/{name}/role", dependencies=[CSRF])
def change_role(
    request: Request,
    name: Name,
    session: SessionDep,
    user: CurrentSupervisor,
    role: Annotated[str, Form(max_length=20)],
) -> Response:
    target = _target(session, user, name)
    if role not in _grantable(user):
        raise HTTPException(status_code=403, detail="only an administrator may make one")
    if target.role != role:
        accounts.set_role(session, target, role, user.name)
        session.commit()
    flash(request, translate(request, "%(name)s's role is saved.", name=target.name))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/mailboxes", dependencies=[CSRF])
def change_mailboxes(
    request: Request,
    name: Name,
    session: SessionDep,
    user: CurrentSupervisor,
    config: ConfigDep,
    mailbox: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Limit a user to some mailboxes (none ticked: every mailbox). A supervisor limited to
    some mailboxes grants only those, and cannot grant every mailbox."""
    target = _target(session, user, name)
    wanted = sorted(set(mailbox or ()))
    if user.mailboxes and (not wanted or not set(wanted) <= set(user.mailboxes)):
        raise HTTPException(status_code=403, detail="you can grant only your own mailboxes")
    try:
        accounts.set_mailboxes(
            session, target, wanted, [box.key for box in config.mailboxes], user.name
        )
    except PrivbotError as exc:
        session.rollback()
        flash(request, str(exc), "error")
        return RedirectResponse("/users", status_code=303)
    session.commit()
    flash(request, translate(request, "%(name)s's mailboxes are saved.", name=target.name))
    return RedirectResponse("/users", status_code=303)


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
