"""Case references `DS-YYYY-NNNN`: allocated from a per-year number, and found in text.

On PostgreSQL the number comes from the year's sequence (`privbot_reference_YYYY`), in the
batch's own transaction: `nextval` never waits for another worker's open batch and is never
rolled back, so a batch that fails leaves a gap, never a duplicate, and numbering costs one
statement on the connection already in use. The year's first case makes the sequence, starting
after the year's counter row (where numbers were kept before). On SQLite, with one writer at a
time, the counter row is bumped by one upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`) in
the caller's transaction.
"""

from __future__ import annotations

import re
from weakref import WeakKeyDictionary

from sqlalchemy import Integer, bindparam, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from privbot.models import ReferenceCounter

# Any configured prefix (`reference_prefix`, "DS" by default); only existing cases ever match.
REFERENCE = re.compile(r"\b([A-Z]{1,8})-(\d{4})-(\d{4,6})\b", re.IGNORECASE)

_COUNTER = ReferenceCounter.__table__  # type: ignore[attr-defined]
_BUMP = (
    sqlite.insert(_COUNTER)
    .values(year=bindparam("year", type_=Integer), last=1)
    .on_conflict_do_update(index_elements=[_COUNTER.c.year], set_={"last": _COUNTER.c.last + 1})
    .returning(_COUNTER.c.last)
)
_LAST = select(_COUNTER.c.last).where(_COUNTER.c.year == bindparam("year", type_=Integer))
_NEXTVAL = text("SELECT nextval(CAST(:name AS regclass))")
_SEQUENCES: WeakKeyDictionary[Engine, set[int]] = WeakKeyDictionary()  # made, per database


def _sequence(engine: Engine, year: int) -> str:
    """The name of the year's sequence, made (on a connection of its own) when it is not there."""
    name = "privbot_reference_%d" % year
    made = _SEQUENCES.setdefault(engine, set())
    if year not in made:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            start = (conn.execute(_LAST, {"year": year}).scalar() or 0) + 1
            try:
                conn.exec_driver_sql(
                    "CREATE SEQUENCE IF NOT EXISTS %s START WITH %d" % (name, start)
                )
            except IntegrityError:  # another worker made it at the same moment
                pass
        made.add(year)
    return name


def next_reference(session: Session, year: int, prefix: str = "DS") -> str:
    # On the session's connection: the session's pending changes need not be flushed first.
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        name = _sequence(connection.engine, year)
        number = connection.execute(_NEXTVAL, {"name": name}).scalar_one()
    else:
        number = connection.execute(_BUMP, {"year": year}).scalar_one()
    return "%s-%d-%04d" % (prefix, year, number)


# `next_reference` on PostgreSQL as an expression for the statement that stores the reference:
# the year's next number written as "%04d" writes it (four digits at least), taken once.
NEXT_REFERENCE = text(
    "(SELECT CAST(:reference_prefix AS text) || '-' || CAST(:reference_year AS text) || '-'"
    " || CASE WHEN n < 10000 THEN lpad(CAST(n AS text), 4, '0') ELSE CAST(n AS text) END"
    " FROM (SELECT nextval(CAST(:reference_sequence AS regclass)) AS n) AS next)"
)


def next_reference_parameters(session: Session, year: int, prefix: str = "DS") -> dict[str, str]:
    """What `NEXT_REFERENCE` is executed with (PostgreSQL only): numbering inside the statement
    that stores the reference (RETURNING reads it back) costs no round trip of its own."""
    name = _sequence(session.connection().engine, year)
    return {"reference_prefix": prefix, "reference_year": str(year), "reference_sequence": name}


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
