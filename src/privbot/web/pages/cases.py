"""The case page: the whole thread (text, or sanitised HTML in a sandboxed frame), the
classification with its evidence, the draft editor, and every staff action as a POST form.

Actions call `cases/store.py` and `cases/actions.py`, which write the audit events; a refused
action (a `PrivbotError`) is shown as a message, never a traceback. Viewing the page, with the
requester's full details, is itself an audit event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session, col, select
from starlette.responses import Response

from privbot import mailboxes
from privbot.cases import actions, identity, refusal, store
from privbot.cases.audit import audit
from privbot.cases.gate import awaits_verification
from privbot.classify.result import Intent
from privbot.errors import NotFound, PrivbotError
from privbot.mail.attachments import attachment
from privbot.models import AuditEvent, Case, Message, Outcome, SpoolEntry, Status, User
from privbot.web.deps import CSRF, ConfigDep, CurrentStaff, SessionDep
from privbot.web.labels import N_
from privbot.web.render import flash, page, translate
from privbot.web.sanitize import sanitize

router = APIRouter(prefix="/cases")
log = logging.getLogger(__name__)
Ref = Annotated[str, Path(pattern=r"^[A-Za-z]{1,10}-\d{4}-\d{1,8}$")]
Text = Annotated[str, Form(max_length=20_000)]
Short = Annotated[str, Form(max_length=500)]
VERIFY_METHODS = (
    "reply from the address of record",
    "one-time code to the address of record",
    "identity document",
    "other",
)


def _visible_case(session: Session, reference: str, user: User) -> Case:
    """The case, if `user` may see its mailbox; NotFound alike when it is not there or not
    theirs, so a reference of another mailbox tells them nothing."""
    case = store.get_case(session, reference)
    if not mailboxes.can_see(user, case):
        raise NotFound("no case %s" % reference)
    return case


def _case(session: Session, reference: str, user: User) -> Case:
    try:
        return _visible_case(session, reference, user)
    except NotFound:
        raise HTTPException(status_code=404, detail="no such case") from None


def _back(case: Case) -> Response:
    return RedirectResponse("/cases/%s" % quote(case.reference), status_code=303)


def _act(
    request: Request, session: Session, case: Case, action: Callable[[], object], done: str
) -> Response:
    """Run one action in this request's transaction; a refusal rolls back and is shown."""
    try:
        action()
        session.commit()
    except PrivbotError as exc:
        session.rollback()
        flash(request, str(exc), "error")
        log.info("action on %s refused (%s)", case.reference, type(exc).__name__)
    else:
        flash(request, done)
    return _back(case)


HISTORY_LIMIT = 50


def requester_history(
    session: Session, case: Case, scope: tuple[str, ...] | None = None
) -> tuple[list[Case], str]:
    """The requester's other cases, newest first, found by the address of record only.

    A personnummer written in a message is never used: anyone can type someone else's number,
    while the address is the one the requester writes from (and confirms codes at)."""
    if not case.requester_email:
        return [], N_("No address of record, so no other cases are looked up.")
    others = session.exec(
        mailboxes.visible(select(Case), scope)
        .where(Case.requester_email == case.requester_email, Case.id != case.id)
        .order_by(col(Case.received_at).desc(), col(Case.id).desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return list(others), N_("No other cases from this address.")


@router.get("/{reference}")
def show(request: Request, reference: Ref, session: SessionDep, user: CurrentStaff) -> Response:
    case = _case(session, reference, user)
    messages = store.thread_messages(session, case)
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.case_id == case.id)
        .order_by(col(AuditEvent.id).desc())
        .limit(200)
    ).all()
    duplicate_of = session.get(Case, case.duplicate_of) if case.duplicate_of else None
    users = session.exec(select(User).where(User.active == True).order_by(col(User.name))).all()  # noqa: E712
    classification = next(
        (m.classification for m in reversed(messages) if m.direction == "in" and m.classification),
        {},
    )
    audit(session, case, "case_viewed", actor=user.name)
    session.commit()
    history, history_note = requester_history(session, case, mailboxes.allowed(user))
    return page(
        request,
        "case.html",
        user=user,
        case=case,
        messages=messages,
        sanitized={m.id: sanitize(m.html) for m in messages if m.html},
        draft=store.current_draft(session, case),
        events=events,
        duplicate_of=duplicate_of,
        users=users,
        classification=classification,
        history=history,
        history_note=history_note,
        intents=[i.value for i in Intent],
        denial_reasons=actions.DENIAL_REASONS,
        verify_methods=VERIFY_METHODS,
        refusal_reasons=refusal.REFUSAL_REASONS,
        awaits_verification=awaits_verification(case),
        can_extend=case.extended_due is None
        and case.status != Status.closed
        and date.today() <= case.due,
    )


@router.get("/{reference}/messages/{message_id}/attachments/{index}")
def download(
    reference: Ref, message_id: int, index: int, session: SessionDep, user: CurrentStaff
) -> Response:
    """The attachment as a download: never rendered inline, never sniffed."""
    case = _case(session, reference, user)
    message = session.get(Message, message_id)
    if message is None or message.case_id != case.id or message.spool_id is None:
        raise HTTPException(status_code=404, detail="no such attachment")
    entry = session.get(SpoolEntry, message.spool_id)
    try:
        found = attachment(entry.raw if entry else b"", index)
    except NotFound:
        raise HTTPException(status_code=404, detail="no such attachment") from None
    audit(session, case, "attachment_downloaded", actor=user.name, message=message.id, index=index)
    session.commit()
    return Response(
        found.data,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": "attachment; filename*=UTF-8''%s"
            % quote(found.filename, safe=""),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


@router.post("/{reference}/draft", dependencies=[CSRF])
def save_draft(
    request: Request,
    reference: Ref,
    session: SessionDep,
    user: CurrentStaff,
    subject: Short,
    body: Text,
) -> Response:
    case = _case(session, reference, user)
    return _act(
        request,
        session,
        case,
        lambda: actions.save_draft(session, case, user.name, subject, body),
        translate(request, "Draft saved."),
    )


@router.post("/{reference}/approve", dependencies=[CSRF])
def approve(
    request: Request,
    reference: Ref,
    session: SessionDep,
    config: ConfigDep,
    user: CurrentStaff,
    tasks: BackgroundTasks,
    subject: Short = "",
    body: Annotated[str | None, Form(max_length=20_000)] = None,
) -> Response:
    case = _case(session, reference, user)
    response = _act(
        request,
        session,
        case,
        lambda: store.approve(session, config, case, user.name, body, subject or None),
        translate(request, "Approved; the reply is on its way to the outbox."),
    )
    tasks.add_task(request.app.state.wake_sender)
    return response


@router.post("/{reference}/reject", dependencies=[CSRF])
def reject(
    request: Request, reference: Ref, session: SessionDep, user: CurrentStaff, reason: Short
) -> Response:
    case = _case(session, reference, user)

    def run() -> None:
        if not reason.strip():
            raise PrivbotError("give a reason for rejecting the draft")
        store.reject(session, case, user.name, reason.strip())

    return _act(request, session, case, run, translate(request, "Draft rejected."))


@router.post("/{reference}/reclassify", dependencies=[CSRF])
def reclassify(
    request: Request,
    reference: Ref,
    session: SessionDep,
    config: ConfigDep,
    user: CurrentStaff,
    intents: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
) -> Response:
    case = _case(session, reference, user)
    replies = request.app.state.replies
    return _act(
        request,
        session,
        case,
        lambda: actions.reclassify(session, config, replies, case, user.name, intents),
        translate(request, "Intents corrected; a new draft was written."),
    )


@router.post("/{reference}/clarify", dependencies=[CSRF])
def clarify(
    request: Request,
    reference: Ref,
    session: SessionDep,
    config: ConfigDep,
    user: CurrentStaff,
    question: Text,
) -> Response:
    case = _case(session, reference, user)
    replies = request.app.state.replies

    def run() -> None:
        if not question.strip():
            raise PrivbotError("write the question for the requester")
        actions.request_clarification(session, config, replies, case, user.name, question)

    return _act(
        request,
        session,
        case,
        run,
        translate(request, "A clarification request was drafted; approve it to send it."),
    )


@router.post("/{reference}/verify", dependencies=[CSRF])
def verify(
    request: Request,
    reference: Ref,
    session: SessionDep,
    config: ConfigDep,
    user: CurrentStaff,
    how: Short,
    detail: Short = "",
) -> Response:
    case = _case(session, reference, user)
    text = "%s: %s" % (how, detail.strip()) if detail.strip() else how
    replies = request.app.state.replies
    return _act(
        request,
        session,
        case,
        lambda: identity.mark_verified(session, config, replies, case, user.name, text),
        translate(request, "Identity marked as verified; the reply was redrafted."),
    )


@router.post("/{reference}/send-code", dependencies=[CSRF])
def send_code(
    request: Request,
    reference: Ref,
    session: SessionDep,
    config: ConfigDep,
    user: CurrentStaff,
    tasks: BackgroundTasks,
) -> Response:
    case = _case(session, reference, user)
    replies = request.app.state.replies

    def run() -> None:
        if identity.send_code(session, config, replies, case) is None:
            raise PrivbotError("no code sent: the address of record looks automated")
        audit(session, case, "identity_code_requested", actor=user.name)

    response = _act(
        request,
        session,
        case,
        run,
        translate(request, "A one-time code is on its way to the address of record."),
    )
    tasks.add_task(request.app.state.wake_sender)
    return response


@router.post("/{reference}/refuse", dependencies=[CSRF])
def refuse(
    request: Request,
    reference: Ref,
    session: SessionDep,
    config: ConfigDep,
    user: CurrentStaff,
    reason: Short,
) -> Response:
    case = _case(session, reference, user)
    replies = request.app.state.replies
    return _act(
        request,
        session,
        case,
        lambda: refusal.refuse(session, config, replies, case, user.name, reason),
        translate(request, "A refusal was drafted; approving it closes the case as denied."),
    )


@router.post("/{reference}/extend", dependencies=[CSRF])
def extend(
    request: Request,
    reference: Ref,
    session: SessionDep,
    config: ConfigDep,
    user: CurrentStaff,
    reason: Text,
    months: Annotated[int, Form(ge=1, le=2)] = 2,
) -> Response:
    case = _case(session, reference, user)
    replies = request.app.state.replies
    return _act(
        request,
        session,
        case,
        lambda: actions.extend_deadline(session, config, replies, case, user.name, reason, months),
        translate(
            request, "Deadline extended; the notice to the requester is drafted for approval."
        ),
    )


@router.post("/{reference}/close", dependencies=[CSRF])
def close(
    request: Request,
    reference: Ref,
    session: SessionDep,
    user: CurrentStaff,
    outcome: Short,
    reason: Short = "",
) -> Response:
    case = _case(session, reference, user)

    def run() -> None:
        if outcome not in (Outcome.fulfilled, Outcome.denied, Outcome.withdrawn):
            raise PrivbotError("choose fulfilled, denied or withdrawn (merge a duplicate instead)")
        actions.close(
            session, case, user.name, Outcome(outcome), reason if outcome == Outcome.denied else ""
        )

    return _act(request, session, case, run, translate(request, "Case closed."))


@router.post("/{reference}/merge", dependencies=[CSRF])
def merge(
    request: Request, reference: Ref, session: SessionDep, user: CurrentStaff, target: Short
) -> Response:
    case = _case(session, reference, user)
    try:
        into = _visible_case(session, target, user)
        actions.merge(session, case, into, user.name)
        session.commit()
    except PrivbotError as exc:
        session.rollback()
        flash(
            request,
            str(exc) if not isinstance(exc, NotFound) else "no case with that reference",
            "error",
        )
        return _back(case)
    flash(request, translate(request, "%(ref)s was merged into this case.", ref=case.reference))
    return _back(into)


@router.post("/{reference}/note", dependencies=[CSRF])
def note(
    request: Request, reference: Ref, session: SessionDep, user: CurrentStaff, text: Text
) -> Response:
    case = _case(session, reference, user)
    return _act(
        request,
        session,
        case,
        lambda: actions.add_note(session, case, user.name, text),
        translate(request, "Note added."),
    )


@router.post("/{reference}/assign", dependencies=[CSRF])
def assign(
    request: Request, reference: Ref, session: SessionDep, user: CurrentStaff, assignee: Short = ""
) -> Response:
    case = _case(session, reference, user)

    def run() -> None:
        if (
            assignee
            and session.exec(select(User).where(User.name == assignee, User.active == True)).first()
            is None
        ):  # noqa: E712
            raise PrivbotError("no active user with that name")
        actions.assign(session, case, user.name, assignee)

    return _act(
        request,
        session,
        case,
        run,
        translate(request, "Assigned to %(name)s.", name=assignee)
        if assignee
        else translate(request, "Unassigned."),
    )
