"""Pause intervals: when a case waits for the requester (identity, clarification), and the
effective due date they yield.

Intervals are always recorded, as facts; they move the effective due date only when
`config.pause_clock` is on (default off, see the README). `Case.due` is never rewritten: the
effective date is computed from receipt, the statutory months and the paused days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from privbot.cases.deadline import Calendar, add_months, due_date, next_working_day
from privbot.cases.kept_back import add_or_insert
from privbot.config import Config
from privbot.models import Case, CasePause, utcnow

_PAUSES = CasePause.__table__  # type: ignore[attr-defined]


def start_pause(session: Session, case: Case, reason: str, at: datetime | None = None) -> CasePause:
    """Open a pause for `reason` unless one is already open."""
    open_ = session.exec(
        select(CasePause).where(
            CasePause.case_id == case.id,
            CasePause.reason == reason,
            col(CasePause.ended_at).is_(None),
        )
    ).first()
    if open_ is not None:
        return open_
    pause = CasePause(case_id=case.id or 0, reason=reason, started_at=at or utcnow())
    session.add(pause)
    return pause


def first_pause(session: Session, case: Case, reason: str, at: datetime) -> None:
    """Open the first pause of a case opened in this transaction (none is open yet).

    A Core row, not an object in the session: the pipeline keeps a batch's rows back and
    writes them together, or before a query reads pauses (`kept_back.py`)."""
    add_or_insert(
        session,
        _PAUSES,
        {"case_id": case.id or 0, "reason": reason, "started_at": at, "ended_at": None},
    )


def end_pauses(
    session: Session, case: Case, reason: str | None = None, at: datetime | None = None
) -> int:
    query = select(CasePause).where(CasePause.case_id == case.id, col(CasePause.ended_at).is_(None))
    if reason:
        query = query.where(CasePause.reason == reason)
    rows = session.exec(query).all()
    for row in rows:
        row.ended_at = at or utcnow()
        session.add(row)
    return len(rows)


def paused_days(pauses: list[CasePause], today: date) -> int:
    """Whole calendar days covered by the pauses (overlaps counted once; open ones up to today)."""
    days: set[date] = set()
    for p in pauses:
        start = p.started_at.date()
        end = p.ended_at.date() if p.ended_at else today
        days.update(start + timedelta(days=n) for n in range((end - start).days))
    return len(days)


def effective_due(session: Session, case: Case, config: Config, today: date | None = None) -> date:
    statutory = case.extended_due or case.due
    if not config.pause_clock:
        return statutory
    pauses = list(session.exec(select(CasePause).where(CasePause.case_id == case.id)).all())
    days = paused_days(pauses, today or utcnow().date())
    if days == 0:
        return statutory
    cal = Calendar(config.eves_are_holidays)
    months = 1
    if case.extended_due is not None:
        months = next(
            (m for m in (2, 3) if due_date(case.received_at, m, cal) == case.extended_due), 3
        )
    end = add_months(case.received_at.date(), months) + timedelta(days=days)
    return next_working_day(end, cal)
