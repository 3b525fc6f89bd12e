"""What staff do to a case: edit the draft, reclassify, verify identity, ask for clarification,
extend the deadline, assign, note, merge and close. Each action is an audit event.

Every function takes a `Session` and never commits; the web pages and the CLI own the
transaction. Approving and rejecting drafts live in `cases/store.py` beside drafting.
"""

from __future__ import annotations

from sqlmodel import Session, select

from privbot import pnr
from privbot.cases import breach, lifecycle
from privbot.cases.audit import audit
from privbot.cases.deadline import Calendar, due_date
from privbot.cases.store import current_draft, make_draft
from privbot.classify.result import Intent
from privbot.config import Config
from privbot.errors import StateError
from privbot.models import Case, Draft, DraftStatus, Message, Outcome, Status, utcnow
from privbot.replies import Replies

DENIAL_REASONS = (
    "no_match",
    "identity_not_verified",
    "manifestly_unfounded",
    "excessive",
    "not_privacy_matter",
    "other",
)


def _open(case: Case) -> None:
    if case.status == Status.closed:
        raise StateError("%s is closed" % case.reference)


def _touch(session: Session, case: Case) -> None:
    case.updated_at = utcnow()
    session.add(case)


def save_draft(session: Session, case: Case, actor: str, subject: str, body: str) -> Draft:
    """Staff edit the pending draft without approving it (the four-eyes rule remembers who)."""
    _open(case)
    draft = current_draft(session, case)
    if draft is None:
        raise StateError("%s has no draft to edit" % case.reference)
    draft.subject, draft.body, draft.edited_by = (
        subject.replace("\r", " ").replace("\n", " ")[:998],
        body,
        actor,
    )
    session.add(draft)
    audit(session, case, "draft_edited", actor=actor, draft=draft.id)
    return draft


def reclassify(
    session: Session, config: Config, replies: Replies, case: Case, actor: str, intents: list[str]
) -> Draft:
    """Correct the intents (recorded for improving the rules) and regenerate the draft."""
    _open(case)
    valid = [i for i in dict.fromkeys(intents) if i in Intent.__members__]
    if not valid:
        raise StateError("choose at least one intent")
    audit(session, case, "intents_corrected", actor=actor, before=list(case.intents), after=valid)
    case.intents = valid
    case.needs_review = False
    _touch(session, case)
    if breach.is_breach(case):
        breach.start_clock(session, config, replies, case)
    return make_draft(session, case, config, replies)


def record_personnummer(session: Session, case: Case, actor: str, number: str) -> None:
    """Staff verified that this personnummer is the requester's (say, by BankID): earlier cases
    with the same staff-verified number then count as theirs in an access reply."""
    _open(case)
    numbers = pnr.normalise(number)
    if len(numbers) != 1:
        raise StateError("not a valid personnummer (YYYYMMDD-NNNN or YYMMDD-NNNN)")
    case.verified_pnr = numbers.pop()
    _touch(session, case)
    audit(session, case, "personnummer_verified", actor=actor)  # the number stays out of the log


def verify_identity(session: Session, case: Case, actor: str, how: str) -> None:
    _open(case)
    if not how.strip():
        raise StateError("say how the identity was verified")
    case.identity_verified = True
    case.verified_how = how.strip()[:200]
    if case.status == Status.awaiting_identity:
        lifecycle.transition(session, case, Status.in_progress, actor, "identity verified")
    _touch(session, case)
    audit(session, case, "identity_verified", actor=actor, how=case.verified_how)


def request_clarification(
    session: Session, config: Config, replies: Replies, case: Case, actor: str, question: str
) -> Draft:
    """Draft a question to the requester; approving it sends it and the case waits for them."""
    _open(case)
    draft = make_draft(
        session, case, config, replies, template="clarification_request", question=question.strip()
    )
    audit(session, case, "clarification_drafted", actor=actor, draft=draft)
    return draft


def extend_deadline(
    session: Session,
    config: Config,
    replies: Replies,
    case: Case,
    actor: str,
    reason: str,
    months: int = 2,
) -> Draft:
    """Art. 12(3): up to two further months, decided before the first deadline, with the reason
    told to the requester (the notice is drafted for approval)."""
    _open(case)
    if case.extended_due is not None:
        raise StateError("%s is already extended" % case.reference)
    if utcnow().date() > case.due:
        raise StateError("the first deadline has passed; an extension is no longer allowed")
    if not 1 <= months <= 2 or not reason.strip():
        raise StateError("an extension is one or two months, with a reason")
    case.extended_due = due_date(
        case.received_at, months=1 + months, cal=Calendar(config.eves_are_holidays)
    )
    case.extension_reason = reason.strip()
    _touch(session, case)
    audit(
        session,
        case,
        "deadline_extended",
        actor=actor,
        until=case.extended_due.isoformat(),
        reason=case.extension_reason,
    )
    return make_draft(
        session,
        case,
        config,
        replies,
        template="extension_notice",
        extension_reason=case.extension_reason,
    )


def assign(session: Session, case: Case, actor: str, assignee: str) -> None:
    case.assignee = assignee.strip()[:100]
    _touch(session, case)
    audit(session, case, "assigned", actor=actor, assignee=case.assignee)


def add_note(session: Session, case: Case, actor: str, text: str) -> None:
    if not text.strip():
        raise StateError("an empty note")
    audit(session, case, "note", actor=actor, text=text.strip()[:5000])


def close(session: Session, case: Case, actor: str, outcome: Outcome, reason: str = "") -> None:
    _open(case)
    if outcome == Outcome.denied and reason not in DENIAL_REASONS:
        raise StateError("a denial needs one of: %s" % ", ".join(DENIAL_REASONS))
    lifecycle.transition(session, case, Status.closed, actor, outcome.value)
    case.outcome = outcome
    case.outcome_reason = reason
    case.closed_at = utcnow()
    draft = current_draft(session, case)
    if draft is not None:
        draft.status = DraftStatus.superseded
        session.add(draft)
    _touch(session, case)
    audit(session, case, "case_closed", actor=actor, outcome=outcome.value, reason=reason)


def merge(session: Session, duplicate: Case, target: Case, actor: str) -> None:
    """Move a duplicate's messages into its case and close it as `duplicate`."""
    if duplicate.id == target.id:
        raise StateError("a case cannot be merged into itself")
    _open(target)
    for message in session.exec(select(Message).where(Message.case_id == duplicate.id)).all():
        message.case_id = target.id or 0
        session.add(message)
    duplicate.duplicate_of = target.id
    close(session, duplicate, actor, Outcome.duplicate, target.reference)
    audit(session, target, "case_merged", actor=actor, duplicate=duplicate.reference)


def allow_sender(session: Session, case: Case, actor: str, address: str) -> None:
    """Let mail from another address of the requester's join the case like their own."""
    address = address.strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in address):
        raise StateError("%r is not an e-mail address" % address)
    if address == case.requester_email or address in case.allowed_senders:
        return
    case.allowed_senders = [*case.allowed_senders, address]
    _touch(session, case)
    audit(session, case, "sender_allowed", actor=actor, address=address)
