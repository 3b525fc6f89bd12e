"""Case references `DS-YYYY-NNNN`: allocated from a per-year counter row, and found in text.

The counter is bumped by one upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so the
year's first two cases in two processes never collide on creating the row. On PostgreSQL the
bump commits on its own, one statement in autocommit: a worker in the middle of a batch never
holds the counter, so other workers are not serialised behind it, and a batch that rolls back
leaves a gap in the numbers, never a duplicate. SQLite has one writer at a time, so there the bump belongs to
the caller's transaction.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from sqlalchemy import Integer, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot.models import ReferenceCounter

# Any configured prefix (`reference_prefix`, "DS" by default); only existing cases ever match.
REFERENCE = re.compile(r"\b([A-Z]{1,8})-(\d{4})-(\d{4,6})\b", re.IGNORECASE)


@cache
def _bump(dialect_name: str) -> Any:
    """The upsert that bumps a year's counter and returns the new number; built once."""
    table = ReferenceCounter.__table__  # type: ignore[attr-defined]
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (
        dialect.insert(table)
        .values(year=bindparam("year", type_=Integer), last=1)
        .on_conflict_do_update(index_elements=[table.c.year], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )


def next_reference(session: Session, year: int, prefix: str = "DS") -> str:
    bind = session.get_bind()
    bump = _bump(bind.dialect.name)
    if bind.dialect.name == "postgresql" and isinstance(bind, Engine):
        # one statement, committed on its own (autocommit): one round trip, where BEGIN,
        # the bump and COMMIT each took one
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            number = conn.execute(bump, {"year": year}).scalar_one()
    else:  # on the session's connection: the session's pending changes need not be flushed first
        number = session.connection().execute(bump, {"year": year}).scalar_one()
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
