"""Rows the pipeline keeps back and writes together, one executemany per table and batch.

A batch of spooled messages writes an audit event or two and a thread message for nearly every
message. Written one by one, each is a statement of its own (a round trip on PostgreSQL); kept
back, a batch's rows of a table go in one executemany before the batch commits, in the order
they were added (so their ids keep that order).

Nothing reads audit events in the transaction that writes them. Messages are read back (threading,
a resend's first case, the first message a draft quotes), and so are a new case's pauses (its
effective due date), so an ORM statement that reads a table writes its kept-back rows first. A lookup that has checked the kept-back rows
itself runs with the execution option `CHECKED` and lets them wait.

A row may name an object of the session (a draft, an outgoing mail) whose insert waits for the
session's next flush: in a value of its own or of its JSON detail, it is written as its id, and
the session is flushed first when that id is not known yet. So queueing a mail or a draft costs
no statement of its own: the batch's objects go in together when the batch flushes.

A column of an object already in the database can be kept back too (`assign`: a case's time of
change, which nearly every message of a batch sets; the unit of work's bookkeeping of a changed
case cost about 5 µs a message). The attribute takes the value at once without history, so the
session's flushes leave it out, and `write` writes, after the batch's flush, the value the
attribute holds then. So the column ends with its last value whichever came last: the value kept
back, or one the ORM flushes (a status change's time): an assignment through the ORM before it
loses its history, and one after it is what the attribute holds. Nothing in a batch reads such a
column from the database (a query of the object returns the session's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, Table, Update, bindparam, event, insert, update
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel

CHECKED = "privbot_kept_back_checked"  # execution option: this lookup looked at the kept rows
_KEY = "privbot.kept_back"  # session.info key of the session's KeptBack

Row = dict[str, Any]


@cache
def _insert(table: Table) -> Insert:
    return insert(table)


@cache
def _update(table: Table, column: str) -> Update:
    return (
        update(table)
        .where(table.c.id == bindparam("_id", type_=table.c.id.type))
        .values({column: bindparam("_value", type_=table.c[column].type)})
    )


class KeptBack:
    """The rows kept back in one session, per table, in the order they were added."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[Table, list[Row]] = {}
        # the objects whose column waits to be written (`assign`), by table and column, then id
        self.assigned: dict[tuple[Table, str], dict[int, Any]] = {}

    def add(self, table: Table, row: Row) -> None:
        self.rows.setdefault(table, []).append(row)

    def pending(self, table: Table) -> list[Row]:
        return self.rows.get(table, [])

    def assign(self, obj: Any, column: str, value: Any) -> None:
        """Set `obj`'s `column` to `value` without history (an earlier change of it through the
        ORM is forgotten); `write` writes the value the attribute holds then."""
        set_committed_value(obj, column, value)
        self.assigned.setdefault((obj.__table__, column), {})[obj.id] = obj

    def write(self, table: Table | None = None) -> None:
        """Write the kept rows of `table` (of every table when None) and forget them."""
        for kept_table in [table] if table is not None else list(self.rows):
            rows = self.rows.pop(kept_table, [])
            if rows:
                self.session.connection().execute(_insert(kept_table), _written(self.session, rows))
        if table is None:  # the batch's end: after its flush and the rows' own
            self._write_assigned()

    def _write_assigned(self) -> None:
        """An UPDATE per object of the columns kept back, one executemany per table and column."""
        for (kept_table, column), objs in self.assigned.items():
            self.session.connection().execute(
                _update(kept_table, column),
                [{"_id": id_, "_value": getattr(obj, column)} for id_, obj in objs.items()],
            )
        self.assigned.clear()

    def write_if(self, table: Table, matches: Callable[[Row], bool]) -> None:
        """Write the kept rows of `table` when one of them `matches` what a lookup looks for."""
        if any(matches(row) for row in self.pending(table)):
            self.write(table)

    def clear(self) -> None:
        self.rows.clear()
        self.assigned.clear()

    def _before_orm_statement(self, state: ORMExecuteState) -> None:
        if not self.rows or state.execution_options.get(CHECKED):
            return
        for mapper in state.all_mappers:
            table = mapper.local_table
            if isinstance(table, Table) and self.rows.get(table):
                self.write(table)


# The types of value that are never an object of the session (a dict is looked into on its
# own): most rows hold nothing else, which a set tells without a loop in Python (2.3 µs a
# message row, with its classification, for an isinstance test of each value).
_PLAIN = frozenset({str, int, float, bool, type(None), list, dict, datetime, date})


def _named(row: Row) -> Iterator[tuple[dict[str, Any], str, SQLModel]]:
    """The objects `row` names: (where, key, object), in its values and its JSON detail."""
    for where in (row, *(value for value in row.values() if isinstance(value, dict))):
        if _PLAIN.issuperset(map(type, where.values())):
            continue
        for key, value in where.items():
            if isinstance(value, SQLModel):
                yield where, key, value


def _written(session: Session, rows: list[Row]) -> list[Row]:
    """`rows` as written: an object they name becomes its id (after a flush, when it has none)."""
    named = [found for row in rows for found in _named(row)]
    if any(obj.id is None for _, _, obj in named):  # type: ignore[attr-defined]
        session.flush()
    for where, key, obj in named:
        where[key] = obj.id  # type: ignore[attr-defined]
    return rows


def of(session: Session) -> KeptBack | None:
    """The session's kept-back rows, when a `kept_back` block is running."""
    return session.info.get(_KEY)


def add_or_insert(session: Session, table: Table, row: Row) -> None:
    """Keep `row` back when the session keeps rows back, else insert it now (on the session's
    connection: a Core insert needs no flush of the session's other changes)."""
    kept = of(session)
    if kept is not None:
        kept.add(table, row)
    else:
        session.connection().execute(_insert(table), _written(session, [row]))


def assign(session: Session, obj: Any, column: str, value: Any) -> None:
    """Set the `column` of `obj` (in the database already) to `value`: kept back when the
    session keeps rows back, else through the ORM."""
    kept = of(session)
    if kept is not None:
        kept.assign(obj, column, value)
    else:
        setattr(obj, column, value)


@contextmanager
def kept_back(session: Session) -> Iterator[KeptBack]:
    """Keep rows back inside the block; the caller calls `write` before it commits (rows not
    written when the block ends are dropped, as a rollback would drop them)."""
    kept = KeptBack(session)
    session.info[_KEY] = kept
    event.listen(session, "do_orm_execute", kept._before_orm_statement)
    try:
        yield kept
    finally:
        event.remove(session, "do_orm_execute", kept._before_orm_statement)
        session.info.pop(_KEY, None)
