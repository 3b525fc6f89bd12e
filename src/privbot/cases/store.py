"""Cases in the database: opening them, adding messages, drafting, approving, rejecting, auditing.

Every function takes a `Session` and never commits: the caller (pipeline, CLI, web) owns the
transaction, so a case and its audit events are written together or not at all.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from privbot import mailboxes
from privbot.cases import lifecycle, outbox, thread
from privbot.cases.audit import audit
from privbot.cases.deadline import Calendar, due_date
from privbot.cases.gate import CLOSING_TEMPLATES, awaits_verification, check_approvable
from privbot.cases.kept_back import add_or_insert
from privbot.cases.own_records import own_records
from privbot.cases.reference import NEXT_REFERENCE, next_reference, next_reference_parameters
from privbot.cases.template_vars import case_context
from privbot.classify.result import Classification
from privbot.config import Config
from privbot.errors import NotFound, StateError
from privbot.mail.parse import ParsedMail
from privbot.models import (
    Case,
    Channel,
    Draft,
    DraftStatus,
    Message,
    OutgoingMail,
    Status,
    built,
    utcnow,
)
from privbot.policy.questions import answer_questions
from privbot.replies import Replies
from privbot.staffnotes import check_sendable

log = logging.getLogger(__name__)


def get_case(session: Session, reference: str) -> Case:
    case = session.exec(select(Case).where(Case.reference == reference.strip().upper())).first()
    if case is None:
        raise NotFound("no case %s" % reference)
    return case


CASES = Case.__table__  # type: ignore[attr-defined]
_INSERT_CASE = insert(CASES).returning(CASES.c.id, CASES.c.reference)
_PG_INSERT_CASE = (
    insert(CASES).values(reference=NEXT_REFERENCE).returning(CASES.c.id, CASES.c.reference)
)


def _values(case: Case) -> dict[str, Any]:
    return {column.key: getattr(case, column.key) for column in CASES.columns if column.key != "id"}


def open_case(
    session: Session,
    config: Config,
    requester_email: str,
    requester_name: str,
    result: Classification,
    received_at: datetime,
    channel: Channel = Channel.email,
    mailbox: str = "",
) -> Case:
    """A new case in `mailbox` (the default one when empty), numbered with its prefix."""
    calendar = Calendar(eves_are_holidays=config.eves_are_holidays)
    box = config.mailbox(mailbox) if mailbox else config.default_mailbox
    case = built(
        Case,
        reference="",  # numbered below, as it is stored
        mailbox=box.key,
        status=Status.new,
        intents=list(result.intents),
        language=config.reply_language(result.language),
        channel=channel,
        requester_email=requester_email.strip().lower(),
        requester_name=requester_name,
        received_at=received_at,
        due=due_date(received_at, cal=calendar),
        needs_review=result.needs_review,
        confidence=result.confidence,
    )
    # One INSERT returning the id, not a flush: the session's other changes (the batch's drafts,
    # the cases' new statuses) wait for the batch's flush. The case joins the session as if
    # read back. On PostgreSQL the INSERT takes the reference's number from the year's sequence
    # itself (a round trip less per case); on SQLite the counter row is bumped first.
    values = _values(case)
    year, prefix = received_at.year, box.reference_prefix
    if session.get_bind().dialect.name == "postgresql":  # numbered by the INSERT itself
        del values["reference"]
        values.update(next_reference_parameters(session, year, prefix))
        insert_case = _PG_INSERT_CASE
    else:
        values["reference"] = next_reference(session, year, prefix)
        insert_case = _INSERT_CASE
    case.id, case.reference = session.connection().execute(insert_case, values).one()
    make_transient_to_detached(case)
    session.add(case)
    thread.opened(session, case)  # a later message of the batch may name it
    audit(
        session,
        case,
        "case_opened",
        channel=channel,
        intents=list(result.intents),
        due=case.due.isoformat(),
    )
    log.info("opened case %s intents=%s", case.reference, ",".join(result.intents))
    return case


MESSAGES = Message.__table__  # type: ignore[attr-defined]


def add_message(
    session: Session,
    case: Case,
    mail: ParsedMail,
    spool_id: int | None,
    result: Classification | None,
    received_at: datetime,
    warning: str = "",
) -> dict[str, Any]:
    """The incoming message joins `case` (`warning`: for staff, shown with the message); returns
    the row written.

    A Core row, not an object in the session. The pipeline keeps a batch's rows back and writes
    them together, or before a query reads messages (`kept_back.py`)."""
    classification = result.as_json() if result else {}
    if warning:
        classification["warning"] = warning
    row: dict[str, Any] = {
        "case_id": case.id or 0,
        "spool_id": spool_id,
        "direction": "in",
        "message_id": mail.message_id,
        "subject": mail.subject,
        "from_addr": mail.from_addr,
        "from_name": mail.from_name,
        "to_addr": "",
        "at": received_at,
        "text": mail.text,
        "html": mail.html,
        "attachments": [
            {"filename": a.filename, "content_type": a.content_type, "size": a.size}
            for a in mail.attachments
        ],
        "classification": classification,
        "content_key": mail.content_key,
    }
    add_or_insert(session, MESSAGES, row)
    return row


def thread_messages(session: Session, case: Case) -> list[Message]:
    return list(
        session.exec(
            select(Message)
            .where(Message.case_id == case.id)
            .order_by(col(Message.at), col(Message.id))
        ).all()
    )


def current_draft(session: Session, case: Case) -> Draft | None:
    return session.exec(
        select(Draft)
        .where(Draft.case_id == case.id, Draft.status == DraftStatus.pending)
        .order_by(col(Draft.id).desc())
    ).first()


def make_draft(
    session: Session,
    case: Case,
    config: Config,
    replies: Replies,
    template: str = "reply",
    *,
    opened: bool = False,
    **extra: Any,
) -> Draft:
    """Render a new draft for staff; an older pending draft is superseded.

    `opened`: the case was opened in this transaction and has no draft yet, so there is none
    to look for. `first_message`: the case's first incoming message, when the caller has it
    (not read back then)."""
    previous = None if opened else current_draft(session, case)
    if previous is not None:
        previous.status = DraftStatus.superseded
        session.add(previous)
    first = extra.get("first_message")
    if first is None:
        first = session.exec(
            select(Message)
            .where(Message.case_id == case.id, Message.direction == "in")
            .order_by(col(Message.id))
        ).first()
    subject = extra.pop("subject", None)  # the requester's first subject, when the caller has it
    if subject is None:
        subject = first.subject if first else ""
    if first is not None:
        extra.setdefault("first_message", first)
    if template == "reply" and "question" in case.intents and first is not None:
        # answered from the policy as the chat does, citing the section; none: staff write it
        extra.setdefault(
            "answers",
            [
                a.as_context()
                for a in answer_questions(
                    first.text, case.language, config, mailboxes.of_case(config, case)
                )
            ],
        )
    if template == "reply" and "access" in case.intents and "own_records" not in extra:
        extra["own_records"] = own_records(session, case)  # art. 15 covers privbot's own register
    rendered = replies.render(
        template,
        case.language,
        case_context(case, config, subject=subject, **extra),
        mailbox=case.mailbox,
    )
    draft = built(
        Draft,
        case_id=case.id or 0,
        template=template,
        language=case.language,
        subject=rendered.subject,
        body=rendered.body,
        notes="\n".join(rendered.notes),
    )
    session.add(draft)
    lifecycle.drafted(session, case, template == "reply" and awaits_verification(case), template)
    case.updated_at = utcnow()
    session.add(case)
    audit(session, case, "draft_created", template=template, draft=draft)
    return draft


def _reply_headers(session: Session, case: Case) -> tuple[str, tuple[str, ...]]:
    messages = thread_messages(session, case)
    inbound = [m for m in messages if m.direction == "in"]
    last = inbound[-1] if inbound else None
    return (last.message_id if last else ""), tuple(m.message_id for m in messages)


def approve(
    session: Session,
    config: Config,
    case: Case,
    actor: str,
    text: str | None = None,
    subject: str | None = None,
) -> OutgoingMail:
    """Approve the current draft (optionally edited) and queue it for sending as ordinary mail."""
    draft = current_draft(session, case)
    if draft is None:
        raise StateError("%s has no draft waiting for approval" % case.reference)
    check_approvable(case, draft)
    editor = actor if text is not None and text != draft.body else draft.edited_by
    if config.four_eyes and editor == actor:
        raise StateError(
            "four-eyes rule: %s edited this draft last, so someone else must approve it" % actor
        )
    check_sendable(subject or draft.subject, draft.body if text is None else text)
    if text is not None and text != draft.body:
        draft.body = text
        draft.edited_by = actor
        audit(session, case, "draft_edited", actor=actor, draft=draft.id)
    if subject:
        draft.subject = subject
    if case.reference not in draft.subject:
        draft.subject = "%s [%s]" % (draft.subject, case.reference)
    draft.status = DraftStatus.approved
    draft.decided_by = actor
    draft.decided_at = utcnow()
    session.add(draft)
    in_reply_to, references = _reply_headers(session, case)
    out = outbox.reply(session, config, case, draft, in_reply_to, references)
    session.add(
        Message(
            case_id=case.id or 0,
            direction="out",
            message_id=out.message_id,
            subject=draft.subject,
            from_addr=mailboxes.of_case(config, case).from_address,
            to_addr=case.requester_email,
            text=draft.body,
        )
    )
    lifecycle.transition(session, case, Status.approved, actor, "draft %s" % draft.template)
    case.updated_at = utcnow()
    if draft.template in CLOSING_TEMPLATES:  # a refusal decides the case
        outcome, reason = CLOSING_TEMPLATES[draft.template]
        lifecycle.transition(session, case, Status.closed, actor, "%s approved" % draft.template)
        case.outcome, case.outcome_reason, case.closed_at = (
            outcome,
            reason or case.outcome_reason,
            utcnow(),
        )
        audit(
            session,
            case,
            "case_closed",
            actor=actor,
            outcome=outcome.value,
            reason=case.outcome_reason,
        )
    session.add(case)
    audit(session, case, "draft_approved", actor=actor, draft=draft.id, outgoing=out)
    log.info("draft %s of case %s approved", draft.id, case.reference)
    return out


def reject(session: Session, case: Case, actor: str, reason: str) -> Draft:
    draft = current_draft(session, case)
    if draft is None:
        raise StateError("%s has no draft waiting for approval" % case.reference)
    draft.status = DraftStatus.rejected
    draft.decided_by = actor
    draft.decided_at = utcnow()
    draft.reject_reason = reason
    session.add(draft)
    lifecycle.transition(session, case, Status.in_progress, actor, "draft rejected")
    case.updated_at = utcnow()
    session.add(case)
    audit(session, case, "draft_rejected", actor=actor, draft=draft.id, reason=reason)
    return draft
