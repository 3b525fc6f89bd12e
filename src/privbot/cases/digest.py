"""The supervisors' daily digest: open cases due within a few days and overdue ones, through the
outbox, never twice for the same day.

The day is claimed by inserting its `DigestRun` row (primary key) before anything is queued,
in the caller's transaction, so two processes cannot both send it. The digest names no
requester: references, intents and due dates only (template `supervisor_digest`). Each
supervisor gets the cases of the mailboxes they are told about (`Config.supervisor_scopes`):
`[reminders] supervisors` every mailbox's, a `[[mailbox]]`'s own supervisors that mailbox's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from privbot.cases import breach, outbox
from privbot.cases.pauses import effective_due
from privbot.config import Config
from privbot.models import Case, DigestRun, Status
from privbot.replies import Replies

log = logging.getLogger(__name__)


def today_in_sweden() -> date:
    return datetime.now(ZoneInfo("Europe/Stockholm")).date()


@dataclass(frozen=True)
class Digest:
    day: date
    due_soon: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    breaches: list[dict[str, Any]] = field(default_factory=list)  # open, by art. 33 deadline

    def of(self, mailboxes: frozenset[str] | None) -> Digest:
        """The part about these mailboxes' cases (None: all of it)."""
        if mailboxes is None:
            return self
        return Digest(
            self.day,
            *(
                [row for row in rows if row["mailbox"] in mailboxes]
                for rows in (self.due_soon, self.overdue, self.breaches)
            ),
        )


def collect(session: Session, config: Config, today: date) -> Digest:
    soon, late, breaches = [], [], []
    horizon = today + timedelta(days=config.digest_days_ahead)
    names = {box.key: box.name for box in config.mailboxes} if len(config.mailboxes) > 1 else {}
    for case in session.exec(select(Case).where(Case.status != Status.closed)).all():
        due = effective_due(session, case, config, today)
        row = {
            "reference": case.reference,
            "intents": list(case.intents),
            "due": due,
            "extended_due": None,
            "mailbox": case.mailbox,
            "mailbox_name": names.get(case.mailbox, ""),  # shown when there are several
        }
        if case.notify_by is not None:
            breaches.append({**row, "notify_by": breach.local_time(case.notify_by)})
        if due < today:
            late.append(row)
        elif due <= horizon:
            soon.append(row)
    key = lambda r: (r["due"], r["reference"])  # noqa: E731
    breaches.sort(key=lambda r: (r["notify_by"], r["reference"]))
    return Digest(today, sorted(soon, key=key), sorted(late, key=key), breaches)


def send_digest(
    session: Session, config: Config, replies: Replies, today: date, language: str = "sv"
) -> Digest | None:
    """Queue today's digest to every supervisor, each with their mailboxes' cases; the whole
    digest, or None if already sent today or nobody to send to."""
    scopes = config.supervisor_scopes()
    if not scopes:
        log.info("no supervisors configured; digest skipped")
        return None
    digest = collect(session, config, today)
    try:
        with session.begin_nested():
            session.add(
                DigestRun(
                    day=today,
                    due_soon=len(digest.due_soon),
                    overdue=len(digest.overdue),
                    recipients=len(scopes),
                )
            )
            session.flush()
    except IntegrityError:
        log.info("digest for %s already sent", today.isoformat())
        return None
    for address, mailboxes in scopes.items():
        part = digest.of(mailboxes)
        rendered = replies.render(
            "supervisor_digest",
            language,
            {
                "company": config.company,
                "due_soon": part.due_soon,
                "overdue": part.overdue,
                "breaches": part.breaches,
            },
        )
        outbox.queue(session, config, address, "", rendered.subject, rendered.body, automatic=True)
    log.info(
        "digest for %s queued to %d supervisor(s): %d due soon, %d overdue",
        today.isoformat(),
        len(scopes),
        len(digest.due_soon),
        len(digest.overdue),
    )
    return digest
