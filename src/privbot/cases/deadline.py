"""Statutory deadlines: one month from receipt (GDPR art. 12(3)) counted as EU Regulation
1182/71 says, moved past Swedish non-working days.

Day of receipt not counted; the same date next month, or that month's last day when the date
does not exist; a Saturday, Sunday or Swedish public holiday moves the end to the next working
day. Midsommarafton, julafton and nyårsafton count as non-working days as the Swedish law on
time limits (1930:173) treats them (configurable). `holidays` is pinned and its categories are
passed explicitly: its Swedish defaults changed between releases.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

PUBLIC = "public"
EVES = "de_facto"  # midsommarafton, julafton, nyårsafton in holidays >= 0.5x


@dataclass(frozen=True)
class Calendar:
    eves_are_holidays: bool = True

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _holidays(day.year, self.eves_are_holidays)


def warm(today: date, eves_are_holidays: bool) -> None:
    """Work out this year's and next year's holidays now (a third of a second each, the first
    time): the worker's first new case need not wait for them."""
    for year in (today.year, today.year + 1):
        _holidays(year, eves_are_holidays)


@lru_cache(maxsize=64)
def _holidays(year: int, eves: bool) -> frozenset[date]:
    categories = (PUBLIC, EVES) if eves else (PUBLIC,)
    return frozenset(holidays.country_holidays("SE", years=year, categories=categories))


def add_months(start: date, months: int) -> date:
    """Same date `months` later, or the last day of that month when the date does not exist."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def next_working_day(day: date, cal: Calendar) -> date:
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


def due_date(received: date | datetime, months: int = 1, cal: Calendar = Calendar()) -> date:
    """The last day to answer a request received on `received` (extension: months=3)."""
    start = received.date() if isinstance(received, datetime) else received
    return next_working_day(add_months(start, months), cal)
