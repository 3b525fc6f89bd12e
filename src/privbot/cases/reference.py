"""Case references `DS-YYYY-NNNN`: allocated from a per-year counter row, and found in text.

The counter is bumped by one upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so the
year's first two cases in two processes never collide on creating the row. On PostgreSQL the
bump commits in a short transaction of its own: a worker in the middle of a batch never holds the
counter, so other workers are not serialised behind it, and a batch that rolls back leaves a gap
in the numbers, never a duplicate. SQLite has one writer at a time, so there the bump belongs to
the caller's transaction.
"""

from __future__ import annotations

import re

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot.models import ReferenceCounter

# Any configured prefix (`reference_prefix`, "DS" by default); only existing cases ever match.
REFERENCE = re.compile(r"\b([A-Z]{1,8})-(\d{4})-(\d{4,6})\b", re.IGNORECASE)


def next_reference(session: Session, year: int, prefix: str = "DS") -> str:
    table = ReferenceCounter.__table__  # type: ignore[attr-defined]
    bind = session.get_bind()
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    bump = (
        dialect.insert(table)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=[table.c.year], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    if dialect is postgresql and isinstance(bind, Engine):
        with bind.begin() as conn:
            number = conn.execute(bump).scalar_one()
    else:
        number = session.execute(bump).scalar_one()
    return "%s-%d-%04d" % (prefix, year, number)


# What every reference has inside it. Looked for first: most mail has none, and a search for a
# pattern that starts with a character skips ahead to that character, where `REFERENCE` is tried
# at every word (a tenth of the time).
_DIGITS_BETWEEN_DASHES = re.compile(r"-\d{4}-")


def find_references(text: str) -> list[str]:
    text = text[:100_000]
    if _DIGITS_BETWEEN_DASHES.search(text) is None:
        return []
    return [
        "%s-%s-%s" % (m.group(1).upper(), m.group(2), m.group(3)) for m in REFERENCE.finditer(text)
    ]
