"""Due dates on hard dates: month ends, leap years, Easter, midsommar, Christmas, weekends."""

from datetime import date, datetime

import pytest

from privbot.cases.deadline import Calendar, add_months, due_date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-01-31", "2026-03-02"),  # 28 Feb 2026 is a Saturday: next working day is Monday 2 March
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
        ("2026-04-14", "2026-05-15"),  # 14 May Kristi himmelsfärd (Thursday); 15 May is a working day
        ("2026-10-31", "2026-11-30"),  # received on a Saturday holiday: the count still starts
    ],
)
def test_one_month(received: str, due: str) -> None:
    assert due_date(date.fromisoformat(received)).isoformat() == due


def test_eves_can_be_working_days_by_configuration() -> None:
    assert due_date(date(2026, 11, 24), cal=Calendar(eves_are_holidays=False)).isoformat() == "2026-12-24"
    assert due_date(date(2026, 11, 24)).isoformat() == "2026-12-28"


def test_extension_counts_three_months_from_receipt() -> None:
    assert due_date(date(2026, 11, 30), months=3).isoformat() == "2027-03-01"  # 28 Feb 2027 is a Sunday


def test_datetime_receipt_uses_its_date() -> None:
    assert due_date(datetime(2026, 1, 31, 23, 59)) == date(2026, 3, 2)


def test_add_months_clamps_to_the_last_day() -> None:
    assert add_months(date(2026, 8, 31), 1) == date(2026, 9, 30)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
