"""A personal data breach reported to the mailbox (intent `breach`): the art. 33 clock of 72 hours
from receipt, and the supervisors told at once.

`Case.notify_by` holds the moment by which the supervisory authority must be notified; the
case lists sort open breaches first by it (`web/listing.py`). The alert goes through the outbox
like the daily digest and names no requester: reference, times and a link only (template
`breach_alert`). What the reporter is told is the `breach` section of the reply draft.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_
from sqlalchemy import case as when
from sqlmodel import Session, col

from privbot import mailboxes
from privbot.cases import outbox
from privbot.cases.audit import audit
from privbot.config import Config
from privbot.models import Case, Status
from privbot.replies import Replies

log = logging.getLogger(__name__)

BREACH = "breach"
NOTIFY_WITHIN = timedelta(hours=72)  # GDPR art. 33(1)
LOCAL = ZoneInfo("Europe/Stockholm")

# An open breach: listed before every other case, in every list and queue.
OPEN_BREACH = and_(col(Case.notify_by).is_not(None), col(Case.status) != Status.closed)
# Sort key that puts open breaches first (`web/listing.py` reads them apart instead).
OPEN_BREACH_FIRST = when((OPEN_BREACH, 0), else_=1)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def local_time(moment: datetime) -> datetime:
    """A stored time as Swedish local time, for what supervisors read."""
    return _aware(moment).astimezone(LOCAL)


def is_breach(case: Case) -> bool:
    return BREACH in case.intents


def start_clock(session: Session, config: Config, replies: Replies, case: Case) -> None:
    """Set the 72-hour deadline from receipt (once) and alert the supervisors."""
    if case.notify_by is not None:
        return
    case.notify_by = _aware(case.received_at) + NOTIFY_WITHIN
    session.add(case)
    audit(session, case, "breach_clock_started", notify_by=case.notify_by.isoformat())
    alert_supervisors(session, config, replies, case)


def alert_supervisors(session: Session, config: Config, replies: Replies, case: Case) -> int:
    """Queue the breach alert at once to every supervisor told about the case's mailbox;
    returns how many were queued."""
    supervisors = config.supervisors_of(case.mailbox)
    if not supervisors:
        log.warning("breach %s: no supervisors configured to alert", case.reference)
        audit(session, case, "breach_alert_skipped", reason="no supervisors configured")
        return 0
    assert case.notify_by is not None
    context = {
        "company": mailboxes.of_case(config, case).company,
        "case": {"reference": case.reference},
        "received": local_time(case.received_at),
        "notify_by": local_time(case.notify_by),
        "case_url": "%s/cases/%s" % (config.public_url, case.reference)
        if config.public_url
        else "",
    }
    rendered = replies.render("breach_alert", "sv", context, mailbox=case.mailbox)
    for address in supervisors:
        outbox.queue(
            session,
            config,
            address,
            "",
            rendered.subject,
            rendered.body,
            automatic=True,
            mailbox=case.mailbox,
        )
    audit(session, case, "breach_alert_queued", recipients=len(supervisors))
    log.info("breach %s: alert queued to %d supervisor(s)", case.reference, len(supervisors))
    return len(supervisors)
