"""Refusals under GDPR art. 12(4): the decision not to act, with its reason and the right to
complain to IMY, drafted for approval and due within the same month as any other answer.

Approving the refusal closes the case as `denied` with the reason (`store.approve` via
`cases/gate.py`). The wording is the `refusal` template in replies/.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from privbot.cases.audit import audit
from privbot.cases.pauses import effective_due
from privbot.cases.store import make_draft
from privbot.config import Config
from privbot.errors import StateError
from privbot.models import Case, Draft, Status, utcnow
from privbot.replies import Replies

log = logging.getLogger(__name__)

REFUSAL_REASONS = ("manifestly_unfounded", "excessive", "identity_not_verified", "no_match")


def refuse(
    session: Session, config: Config, replies: Replies, case: Case, actor: str, reason: str
) -> Draft:
    """Draft the refusal; a refusal after the deadline is still drafted, but marked late."""
    if case.status == Status.closed:
        raise StateError("%s is closed" % case.reference)
    if reason not in REFUSAL_REASONS:
        raise StateError("a refusal needs one of: %s" % ", ".join(REFUSAL_REASONS))
    due = effective_due(session, case, config)
    late = utcnow().date() > due
    case.outcome_reason = reason
    session.add(case)
    draft = make_draft(session, case, config, replies, template="refusal", refusal_reason=reason)
    audit(
        session,
        case,
        "refusal_drafted",
        actor=actor,
        reason=reason,
        due=due.isoformat(),
        late=late,
        draft=draft,
    )
    if late:
        log.warning("refusal for %s drafted after its deadline %s", case.reference, due.isoformat())
    return draft
