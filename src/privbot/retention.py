"""Retention: the personal data of cases closed more than `config.retention_months` ago (default
24) is removed, and so are screened and quarantined messages older than that.

Removed: raw mail, message subjects, texts, HTML, addresses, names and attachment lists, drafts,
outgoing mail, identity tokens, free-text audit details. Kept as the anonymised register: the
case row's reference, intents, language, channel, dates, status and outcome, and the audit
trail's actions with their non-personal details. `purge(..., dry_run=True)` only counts.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlmodel import Session, col, delete, select

from privbot.cases.deadline import add_months
from privbot.config import Config
from privbot.models import (
    AuditEvent,
    Case,
    CasePause,
    Draft,
    IdentityToken,
    Message,
    OutgoingMail,
    SpoolEntry,
    SpoolState,
    Status,
    utcnow,
)  # fmt: skip

log = logging.getLogger(__name__)

PURGED = "purged"
# Audit detail keys that never hold personal data (ids, codes, dates, intents).
SAFE_DETAIL = frozenset(
    {
        "channel",
        "intents",
        "due",
        "draft",
        "outgoing",
        "template",
        "outcome",
        "until",
        "spool",
        "before",
        "after",
        "kind",
        "token",
        "late",
        "months",
    }
)
CODED_REASONS = frozenset(
    {
        "no_match",
        "identity_not_verified",
        "manifestly_unfounded",
        "excessive",
        "not_privacy_matter",
        "other",
        "robot_address",
        "daily_cap",
    }
)


@dataclass
class PurgeReport:
    cutoff: datetime
    cases: list[str] = field(default_factory=list)
    messages: int = 0
    drafts: int = 0
    outgoing: int = 0
    spool_entries: int = 0
    audit_events: int = 0
    tokens: int = 0
    dry_run: bool = False

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["cutoff"] = self.cutoff.isoformat(timespec="seconds") + "Z"
        data["case_count"] = len(self.cases)
        return data


def cutoff(config: Config, now: datetime | None = None) -> datetime:
    now = now or utcnow()
    day = add_months(now.date(), -config.retention_months)
    return now.replace(year=day.year, month=day.month, day=day.day)


def _scrub_spool(entry: SpoolEntry) -> None:
    entry.raw = b""
    entry.message_id = "%s:%d" % (PURGED, entry.id or 0)
    entry.source_ref = ""
    entry.reason = entry.reason.split(":", 1)[0][
        :40
    ]  # keep the kind (auto_reply, ...), not the detail


def _scrub_detail(detail: dict[str, object]) -> dict[str, object]:
    kept = {k: v for k, v in detail.items() if k in SAFE_DETAIL}
    if detail.get("reason") in CODED_REASONS:
        kept["reason"] = detail["reason"]
    return kept


def purge(
    session: Session, config: Config, now: datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    limit = cutoff(config, now)
    report = PurgeReport(cutoff=limit, dry_run=dry_run)
    cases = session.exec(
        select(Case).where(
            Case.status == Status.closed,
            col(Case.closed_at).is_not(None),
            col(Case.closed_at) < limit,
            col(Case.purged_at).is_(None),
        )
    ).all()
    for case in cases:
        report.cases.append(case.reference)
        messages = session.exec(select(Message).where(Message.case_id == case.id)).all()
        drafts = session.exec(select(Draft).where(Draft.case_id == case.id)).all()
        outgoing = session.exec(select(OutgoingMail).where(OutgoingMail.case_id == case.id)).all()
        spooled = session.exec(select(SpoolEntry).where(SpoolEntry.case_id == case.id)).all()
        events = session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
        tokens = session.exec(select(IdentityToken).where(IdentityToken.case_id == case.id)).all()
        report.messages += len(messages)
        report.drafts += len(drafts)
        report.outgoing += len(outgoing)
        report.spool_entries += len(spooled)
        report.audit_events += len(events)
        report.tokens += len(tokens)
        if dry_run:
            continue
        for m in messages:
            m.message_id = "%s:%d" % (PURGED, m.id or 0)
            m.subject = m.from_addr = m.from_name = m.to_addr = m.text = m.html = ""
            m.attachments = [{"count": len(m.attachments)}] if m.attachments else []
            m.classification = (
                {"intents": list(m.classification.get("intents", []))} if m.classification else {}
            )
            session.add(m)
        for d in drafts:
            d.subject = d.body = d.reject_reason = ""
            session.add(d)
        for o in outgoing:
            o.raw = b""
            o.to_addr = ""
            o.message_id = "%s:%d" % (PURGED, o.id or 0)
            o.last_error = ""
            session.add(o)
        for e in spooled:
            _scrub_spool(e)
            session.add(e)
        for ev in events:
            ev.detail = _scrub_detail(ev.detail)
            session.add(ev)
        session.exec(delete(IdentityToken).where(col(IdentityToken.case_id) == case.id))
        session.exec(delete(CasePause).where(col(CasePause.case_id) == case.id))
        case.requester_email = case.requester_name = case.verified_how = case.extension_reason = ""
        case.verified_pnr, case.allowed_senders = "", []
        if case.outcome_reason not in CODED_REASONS and not case.outcome_reason.startswith(
            tuple(box.reference_prefix + "-" for box in config.mailboxes)
        ):
            case.outcome_reason = ""
        case.purged_at = utcnow()
        session.add(case)
    loose = session.exec(
        select(SpoolEntry).where(
            col(SpoolEntry.state).in_([SpoolState.screened, SpoolState.quarantined]),
            SpoolEntry.received_at < limit,
            col(SpoolEntry.case_id).is_(None),
            col(SpoolEntry.message_id).not_like(PURGED + ":%"),
        )
    ).all()
    report.spool_entries += len(loose)
    if not dry_run:
        for entry in loose:
            _scrub_spool(entry)
            session.add(entry)
    log.info(
        "purge%s: %d case(s), %d message(s), %d spool entries older than %s",
        " (dry run)" if dry_run else "",
        len(report.cases),
        report.messages,
        report.spool_entries,
        limit.date().isoformat(),
    )
    return report


def register_counts(session: Session) -> dict[str, dict[str, object]]:
    """Per year of receipt: cases, intents and outcomes counted (what retention keeps)."""
    cases: dict[str, int] = {}
    purged: dict[str, int] = {}
    intents: dict[str, dict[str, int]] = {}
    outcomes: dict[str, dict[str, int]] = {}
    for case in session.exec(select(Case)).all():
        year = str(case.received_at.year)
        cases[year] = cases.get(year, 0) + 1
        purged[year] = purged.get(year, 0) + (case.purged_at is not None)
        per_intent = intents.setdefault(year, {})
        for intent in case.intents:
            per_intent[intent] = per_intent.get(intent, 0) + 1
        key = case.outcome.value if case.outcome else "open"
        outcomes.setdefault(year, {})[key] = outcomes.get(year, {}).get(key, 0) + 1
    return {
        y: {"cases": n, "purged": purged[y], "intents": intents[y], "outcomes": outcomes[y]}
        for y, n in cases.items()
    }
