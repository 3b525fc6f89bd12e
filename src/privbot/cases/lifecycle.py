"""The case lifecycle: every change of `Case.status` goes through `transition` here.

`TRANSITIONS` lists, for each status, the statuses a case may move to from it; `transition`
refuses any other move with a `StateError` and writes a `status_changed` audit event for each
change. The few rules about *which* status an event leads to live here too: a drafted reply
waits for identity or for approval, a sent reply waits for the requester when it asked a
question, a follow-up message reopens a case that was waiting or done.

Like the rest of `cases/`, nothing here commits: the caller owns the transaction, so a status
change and its audit event are written together or not at all.
"""

from __future__ import annotations

from sqlmodel import Session

from privbot.cases.audit import audit
from privbot.errors import StateError
from privbot.models import Case, Status, utcnow

_DRAFTED = frozenset({Status.awaiting_identity, Status.draft_ready})
_MOVES = {
    Status.new: _DRAFTED | {Status.in_progress, Status.approved, Status.closed},
    Status.awaiting_identity: _DRAFTED | {Status.in_progress, Status.approved, Status.closed},
    Status.in_progress: _DRAFTED | {Status.approved, Status.closed},
    Status.draft_ready: _DRAFTED | {Status.in_progress, Status.approved, Status.closed},
    Status.approved: _DRAFTED
    | {Status.sent, Status.awaiting_requester, Status.in_progress, Status.closed},
    Status.sent: _DRAFTED | {Status.in_progress, Status.closed},
    Status.awaiting_requester: _DRAFTED | {Status.in_progress, Status.closed},
    Status.closed: frozenset({Status.in_progress}),
}

# A status may move to: a new draft (from any open status), a decision by staff, a send, a
# follow-up from the requester, or closing (from any open status). A closed case only reopens.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    current: targets - {current} for current, targets in _MOVES.items()
}

# A message from the requester puts these back in staff's hands.
REOPENED_BY_FOLLOW_UP = frozenset(
    {Status.sent, Status.closed, Status.awaiting_requester, Status.approved}
)

# Sending a draft made from one of these templates leaves the case waiting for the requester.
ASKING_TEMPLATES = frozenset({"clarification_request"})


def allowed(current: Status, to: Status) -> bool:
    return to == current or to in TRANSITIONS[current]


def transition(
    session: Session, case: Case, to: Status, actor: str = "privbot", reason: str = ""
) -> bool:
    """Move `case` to `to` if the table allows it; True when the status changed.

    Staying in the same status is no change and writes nothing. A move the table does not
    list raises `StateError` and changes nothing.
    """
    current = Status(case.status)
    if to == current:
        return False
    if to not in TRANSITIONS[current]:
        raise StateError("%s cannot go from %s to %s" % (case.reference, current.value, to.value))
    case.status = to
    case.updated_at = utcnow()
    session.add(case)
    audit(
        session,
        case,
        "status_changed",
        actor=actor,
        **{"from": current.value, "to": to.value, "reason": reason},
    )
    return True


def drafted(session: Session, case: Case, awaiting_identity: bool, template: str) -> None:
    """A new draft waits for staff, or (a fulfilling reply) for the requester's identity."""
    to = Status.awaiting_identity if awaiting_identity else Status.draft_ready
    transition(session, case, to, reason="draft %s" % template)


def reopen_on_follow_up(session: Session, case: Case, asks_for_something: bool = True) -> bool:
    """A threaded message from the requester hands a waiting or finished case back to staff.

    A closed case reopens only when the message asks for something (a right, a question); a
    "thanks" is recorded by the caller and the case stays closed. True when the status changed.
    """
    if case.status == Status.closed and not asks_for_something:
        return False
    if case.status not in REOPENED_BY_FOLLOW_UP:
        return False
    if case.status == Status.closed:
        case.closed_at = None
    return transition(session, case, Status.in_progress, reason="follow-up message")


def reply_sent(session: Session, case: Case, template: str) -> None:
    """An approved reply left: the case waits for the requester if it asked them something."""
    if case.status != Status.approved:
        return
    to = Status.awaiting_requester if template in ASKING_TEMPLATES else Status.sent
    transition(session, case, to, reason="%s sent" % template)
