"""Due dates on hard dates: month ends, leap years, Easter, midsommar, Christmas, weekends."""

from datetime import date, datetime

import pytest

from privbot.cases.deadline import EVES, PUBLIC, Calendar, add_months, due_date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (
            "2026-01-31",
            "2026-03-02",
        ),  # 28 Feb 2026 is a Saturday: next working day is Monday 2 March
        ("2028-01-31", "2028-02-29"),  # leap year: the month's last day, a Tuesday
        ("2027-01-31", "2027-03-01"),  # 28 Feb 2027 is a Sunday
        ("2026-03-31", "2026-04-30"),  # 30 April: a Thursday and not a holiday
        ("2026-03-03", "2026-04-07"),  # 3 April långfredag, 4-5 weekend, 6 annandag påsk
        ("2026-05-19", "2026-06-22"),  # 19 June midsommarafton, 20 midsommardagen, 21 Sunday
        ("2026-05-20", "2026-06-22"),  # 20 June midsommardagen (Saturday)
        ("2026-11-24", "2026-12-28"),  # 24 julafton, 25 juldagen, 26 annandag, 27 Sunday
        ("2026-11-30", "2026-12-30"),  # a plain Wednesday
        ("2026-11-26", "2026-12-28"),  # 26 December annandag jul (Saturday)
        ("2026-12-01", "2027-01-04"),  # 1 Jan nyårsdagen (Friday), weekend
        ("2026-12-31", "2027-02-01"),  # 31 Jan 2027 is a Sunday
        ("2026-11-30", "2026-12-30"),
        ("2025-12-06", "2026-01-07"),  # 6 January trettondedag jul (Tuesday)
        ("2026-04-01", "2026-05-04"),  # 1 May (Friday) första maj, weekend
        ("2026-05-06", "2026-06-08"),  # 6 June nationaldagen (Saturday), 7 Sunday
        (
            "2026-04-14",
            "2026-05-15",
        ),  # 14 May Kristi himmelsfärd (Thursday); 15 May is a working day
        ("2026-10-31", "2026-11-30"),  # received on a Saturday holiday: the count still starts
    ],
)
def test_one_month(received: str, due: str) -> None:
    assert due_date(date.fromisoformat(received)).isoformat() == due


def test_eves_can_be_working_days_by_configuration() -> None:
    assert (
        due_date(date(2026, 11, 24), cal=Calendar(eves_are_holidays=False)).isoformat()
        == "2026-12-24"
    )
    assert due_date(date(2026, 11, 24)).isoformat() == "2026-12-28"


def test_extension_counts_three_months_from_receipt() -> None:
    assert (
        due_date(date(2026, 11, 30), months=3).isoformat() == "2027-03-01"
    )  # 28 Feb 2027 is a Sunday


def test_datetime_receipt_uses_its_date() -> None:
    assert due_date(datetime(2026, 1, 31, 23, 59)) == date(2026, 3, 2)


def test_add_months_clamps_to_the_last_day() -> None:
    assert add_months(date(2026, 8, 31), 1) == date(2026, 9, 30)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("received", "months", "due"),
    [
        ("2026-11-30", 3, "2027-03-01"),  # 28 Feb 2027 is a Sunday
        ("2027-11-30", 3, "2028-02-29"),  # leap year: 29 Feb 2028, a Tuesday
        ("2026-09-24", 3, "2026-12-28"),  # 24 Dec julafton, 25-26 jul, 27 Sunday
        ("2026-10-31", 2, "2027-01-04"),  # nyårsafton, nyårsdagen (Friday), then a weekend
        ("2026-03-19", 3, "2026-06-22"),  # midsommarafton 19 June, then midsommardagen and a Sunday
        ("2026-01-03", 3, "2026-04-07"),  # 3 April långfredag to 6 April annandag påsk
        (
            "2027-01-26",
            2,
            "2027-03-30",
        ),  # 26 March 2027 långfredag, Easter weekend, annandag påsk 29th
        ("2025-10-06", 3, "2026-01-07"),  # 6 January trettondedag jul
        ("2028-12-31", 2, "2029-02-28"),  # the month's last day, not a leap year
    ],
)
def test_extended(received: str, months: int, due: str) -> None:
    assert due_date(date.fromisoformat(received), months=months).isoformat() == due


def test_swedish_calendar_of_the_pinned_holidays_release() -> None:
    """Fails when a `holidays` release changes what Sweden's categories hold (it has before:
    eves moved to de_facto, Sundays dropped from the defaults). Check the due dates, then pin."""
    import holidays

    public = {
        d.isoformat() for d in holidays.country_holidays("SE", years=2026, categories=(PUBLIC,))
    }
    eves = {d.isoformat() for d in holidays.country_holidays("SE", years=2026, categories=(EVES,))}
    assert public == {
        "2026-01-01", "2026-01-06", "2026-04-03", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-14",
        "2026-05-24", "2026-06-06", "2026-06-20", "2026-10-31", "2026-12-25", "2026-12-26",
    }  # fmt: skip
    assert eves == {"2026-06-19", "2026-12-24", "2026-12-31"}
    default = {d.isoformat() for d in holidays.country_holidays("SE", years=2026)}
    assert default == public  # no Sundays, no eves: why privbot passes its categories explicitly
    assert holidays.__version__ == "0.109"


def test_pause_intervals_move_only_the_effective_due_date(engine, config) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace
    from datetime import UTC

    from privbot.cases.pauses import effective_due, end_pauses, start_pause
    from privbot.db import session_scope
    from privbot.models import Case

    received = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    with session_scope(engine) as session:
        case = Case(
            reference="DS-2026-0001",
            intents=["access"],
            received_at=received,
            due=due_date(received),
        )
        session.add(case)
        session.flush()
        start_pause(session, case, "identity", received)
        end_pauses(
            session, case, "identity", datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
        )  # five days waiting
        assert case.due == date(2026, 4, 7)
        assert effective_due(session, case, config) == date(
            2026, 4, 7
        )  # default: the clock runs on
        paused = replace(config, pause_clock=True)
        assert effective_due(session, case, paused) == date(
            2026, 4, 8
        )  # 3 April + 5 days, a Wednesday
        assert case.due == date(2026, 4, 7)  # never rewritten
