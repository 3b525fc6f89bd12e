"""Swedish personnummer and samordningsnummer: found in text and masked.

A match needs a real date (samordningsnummer: day + 60) and a valid Luhn check digit; 10 or 12
digits with `-`, `+`, space, en dash or no separator. An organisationsnummer (third digit 2 or
more, as in 556691-7455) is not a personal number. Masking keeps the birth date's first digits
so staff can tell numbers apart: `19850612-XXXX` style becomes `850612-****`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PNR = re.compile(r"(?<![\d-])((?:19|20)?\d{6})\s?([-+\u2013 ]?)\s?(\d{4})(?![\d])")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str
    coordination: bool  # samordningsnummer


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _valid(datepart: str, tail: str) -> tuple[bool, bool]:
    """(valid, coordination) for 6 or 8 date digits and 4 tail digits."""
    six = datepart[-6:]
    month, day = int(six[2:4]), int(six[4:6])
    coordination = day > 60
    if coordination:
        day -= 60
    years = [int(datepart[:4])] if len(datepart) == 8 else [1900 + int(six[:2]), 2000 + int(six[:2])]
    for year in years:
        try:
            date(year, month, day)
        except ValueError:
            continue
        return _luhn(six + tail), coordination
    return False, False


def find(text: str) -> list[Found]:
    found = []
    for m in _PNR.finditer(text):
        datepart, _sep, tail = m.groups()
        ok, coordination = _valid(datepart, tail)
        if ok:
            found.append(Found(m.start(), m.end(), m.group(0), coordination))
    return found


def mask(text: str) -> str:
    """Replace every valid personnummer/samordningsnummer in `text` with a masked form."""
    if not text:
        return text
    out, last = [], 0
    for f in find(text):
        out.append(text[last:f.start])
        digits = re.sub(r"\D", "", f.text)
        out.append(digits[-10:-4] + "-****")
        last = f.end
    out.append(text[last:])
    return "".join(out)
