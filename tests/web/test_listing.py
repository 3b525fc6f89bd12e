"""Case lists page through open breaches first, then the rest, each in the list's own order,
on SQLite and PostgreSQL; working days left match a count day by day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.cases.deadline import Calendar
from privbot.config import Config
from privbot.models import Case, Status
from privbot.web import listing
from privbot.web.i18n import working_days_left
from privbot.web.pages.inbox import WAITING_FOR_STAFF
from tests.web.cases_data import make_case


def test_open_breaches_come_first_on_every_page(
    any_engine: tuple[Engine, Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _config = any_engine
    soon = datetime.now(UTC) + timedelta(hours=30)
    breaches = {3, 9, 14}
    for n in range(1, 16):
        make_case(
            engine,
            n,
            due=date.today() + timedelta(days=n),
            notify_by=soon if n in breaches or n == 5 else None,
            status=Status.closed if n == 5 else Status.in_progress,  # a closed breach: not first
        )
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    with Session(engine) as session:
        query = select(Case).where(col(Case.status).in_(WAITING_FOR_STAFF))
        order = [listing.EFFECTIVE_DUE, col(Case.id)]
        pages = [listing.paginate(session, query, order, n) for n in range(1, 9)]
        by_due_desc = listing.paginate(session, query, [col(Case.due).desc()], 1)
    shown = [int(r.reference.rsplit("-", 1)[1]) for p in pages for r in p.rows]
    assert shown == [3, 9, 14] + [n for n in range(1, 16) if n not in breaches and n != 5]
    assert [len(p.rows) for p in pages] == [2, 2, 2, 2, 2, 2, 2, 0]
    assert {p.total for p in pages} == {14}
    assert [r.reference for r in by_due_desc.rows] == ["DS-2026-0014", "DS-2026-0009"]


def test_counting_stops_a_little_beyond_the_page_and_says_more_than(
    any_engine: tuple[Engine, Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _config = any_engine
    for n in range(1, 15):
        make_case(engine, n, due=date.today() + timedelta(days=n))
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    monkeypatch.setattr(listing, "COUNT_AHEAD", 5)
    with Session(engine) as session:
        query = select(Case).where(col(Case.status).in_(WAITING_FOR_STAFF))
        order = [listing.EFFECTIVE_DUE, col(Case.id)]
        pages = {n: listing.paginate(session, query, order, n) for n in (1, 4, 6, 7, 8)}
    # page 1 counts 5 of the 14 and knows there are more; page 4 (from the 7th) counts to 12
    assert (pages[1].total, pages[1].capped, pages[1].has_next) == (5, True, True)
    assert (pages[4].total, pages[4].capped) == (11, True)
    # from page 6 (the 11th case) the count reaches the end: exact, and the last page is known
    assert (pages[6].total, pages[6].capped, pages[6].pages) == (14, False, 7)
    assert pages[7].has_next is False and len(pages[7].rows) == 2
    assert [r.reference for r in pages[4].rows] == ["DS-2026-0007", "DS-2026-0008"]
    assert pages[8].rows == [] and not pages[8].has_next


def test_the_intent_filter_follows_every_write_of_the_intents(
    any_engine: tuple[Engine, Config],
) -> None:
    """`caseintent` is kept by the database: cases made by the app and by a bulk insert, and
    intents corrected later, are found by the intent filter; nothing else is."""
    engine, _config = any_engine
    make_case(engine, 1, intents=["erasure", "access"])
    make_case(engine, 2, intents=["breach"])
    with engine.begin() as conn:  # a bulk insert, as an import or the benchmark writes them
        conn.execute(
            insert(Case),
            [
                dict(
                    reference="DS-2026-0003",
                    intents=["erasure", "erasure"],
                    requester_email="p3@example.se",
                    received_at=datetime(2026, 10, 4, tzinfo=UTC),
                    due=date.today(),
                    updated_at=datetime(2026, 10, 4, tzinfo=UTC),
                )
            ],
        )

    def having(intent: str) -> list[str]:
        with Session(engine) as session:
            query = select(Case.reference).where(listing.has_intent(intent))
            return sorted(session.exec(query).all())

    assert having("erasure") == ["DS-2026-0001", "DS-2026-0003"]
    assert having("breach") == ["DS-2026-0002"] and having("objection") == []
    with Session(engine) as session:  # staff correct the intents of case 1
        case = session.exec(select(Case).where(Case.reference == "DS-2026-0001")).one()
        case.intents = ["objection"]
        session.add(case)
        session.commit()
    assert having("erasure") == ["DS-2026-0003"] and having("access") == []
    assert having("objection") == ["DS-2026-0001"]


def test_working_days_left_match_a_day_by_day_count() -> None:
    cal = Calendar()

    def counted(due: date, today: date) -> int:
        days = range(min(due, today).toordinal() + 1, max(due, today).toordinal() + 1)
        n = sum(cal.is_working_day(date.fromordinal(d)) for d in days)
        return n if due >= today else -n

    today = date(2026, 12, 2)
    for offset in (-800, -400, -31, -1, 0, 1, 5, 30, 45, 400):
        due = today + timedelta(days=offset)
        assert working_days_left(due, today) == counted(due, today)
    # across new year, Christmas and Easter
    assert working_days_left(date(2027, 1, 8), date(2026, 12, 22)) == counted(
        date(2027, 1, 8), date(2026, 12, 22)
    )
    assert working_days_left(date(2027, 1, 8), date(2026, 12, 22)) == 8
