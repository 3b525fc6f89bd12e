"""Case references `DS-YYYY-NNNN`: allocated from a per-year counter row, and found in text.

The counter row is locked while it is bumped (`FOR UPDATE` on PostgreSQL; SQLite serialises
writers), so two processes never hand out the same reference.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from privbot.models import ReferenceCounter

# Any configured prefix (`reference_prefix`, "DS" by default); only existing cases ever match.
REFERENCE = re.compile(r"\b([A-Z]{1,8})-(\d{4})-(\d{4,6})\b", re.IGNORECASE)


def next_reference(session: Session, year: int, prefix: str = "DS") -> str:
    counter = session.exec(
        select(ReferenceCounter).where(ReferenceCounter.year == year).with_for_update()
    ).first()
    if counter is None:
        counter = ReferenceCounter(year=year, last=0)
    counter.last += 1
    session.add(counter)
    session.flush()
    return "%s-%d-%04d" % (prefix, year, counter.last)


def find_references(text: str) -> list[str]:
    return [
        "%s-%s-%s" % (m.group(1).upper(), m.group(2), m.group(3))
        for m in REFERENCE.finditer(text[:100_000])
    ]
