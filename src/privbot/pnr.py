"""Swedish personnummer and samordningsnummer: found in text and masked.

A candidate is 10 or 12 digits with `-`, `+`, a space, an en or em dash or no separator; it
counts when the `personnummer` package accepts it after the separator is normalised (the
package alone rejects spaces and dashes and guesses the century) or when our own check does
(a real date, samordningsnummer day + 60, a valid Luhn digit). An organisationsnummer such as
556691-7455 has a month of 20 or more and is never a personal number. Masking shows nothing
of the number: `******-****` (see `mask`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from personnummer import personnummer as package

# Digits not glued to other digits; separators may be padded by one space on each side.
_PNR = re.compile(
    r"(?<!\d)((?:1[89]|20)?\d{6})[ \t\u00a0]?([-+\u2010\u2011\u2012\u2013\u2014\u2212 ]?)[ \t\u00a0]?(\d{4})(?!\d)"
)
MASK = "******-****"


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str
    digits: str  # the 10 digits YYMMDDNNNC, whatever the written form
    coordination: bool  # samordningsnummer


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _own_check(datepart: str, tail: str, plus: bool) -> bool:
    six = datepart[-6:]
    month, day = int(six[2:4]), int(six[4:6])
    if day > 60:
        day -= 60
    yy = int(six[:2])
    years = (
        [int(datepart[:4])]
        if len(datepart) == 8
        else ([1800 + yy, 1900 + yy] if plus else [1900 + yy, 2000 + yy])
    )
    for year in years:
        try:
            date(year, month, day)
        except ValueError:
            continue
        return _luhn(six + tail)
    return False


def _package_check(datepart: str, tail: str, plus: bool) -> bool:
    normalised = "%s%s%s" % (datepart, "+" if plus else "-", tail)
    return bool(package.valid(normalised))


def is_valid(datepart: str, tail: str, plus: bool = False) -> bool:
    """6 or 8 date digits and 4 tail digits: a personnummer or samordningsnummer?"""
    if int(datepart[-4:-2]) > 12:  # organisationsnummer (month 20+) and other non-dates
        return False
    return _package_check(datepart, tail, plus) or _own_check(datepart, tail, plus)


def find(text: str) -> list[Found]:
    found = []
    for m in _PNR.finditer(text):
        datepart, sep, tail = m.groups()
        if is_valid(datepart, tail, sep == "+"):
            six = datepart[-6:]
            found.append(Found(m.start(), m.end(), m.group(0), six + tail, int(six[4:6]) > 60))
    return found


def mask(text: str) -> str:
    """Replace every personnummer/samordningsnummer in `text` with `******-****`.

    Nothing of the birth date is kept: with a name or an address beside it, a birth date alone
    singles most people out, and logs, lists and exports have no need of it. Staff who must
    tell two numbers apart open the case page, where the number is shown whole and the view
    is audited.
    """
    if not text:
        return text
    out, last = [], 0
    for f in find(text):
        out.append(text[last : f.start])
        out.append(MASK)
        last = f.end
    out.append(text[last:])
    return "".join(out)


def normalise(text: str) -> set[str]:
    """The 10-digit forms of every personnummer in `text`, for matching across cases."""
    return {f.digits for f in find(text)}
