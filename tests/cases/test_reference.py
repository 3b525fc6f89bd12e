"""Case references: two workers allocating the year's first references never collide."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot.cases.reference import find_references, next_reference
from privbot.cases.store import open_case
from privbot.classify.result import Classification
from privbot.config import Config
from privbot.db import make_engine
from privbot.mail.screen import Kind
from privbot.models import utcnow
from tests.helpers import postgres_database


def test_sqlite_numbers_follow_each_other(engine: Engine) -> None:
    with Session(engine) as session:
        refs = [next_reference(session, 2031) for _ in range(3)]
        session.commit()
    assert refs == ["DS-2031-0001", "DS-2031-0002", "DS-2031-0003"]


def test_postgres_two_open_batches_get_distinct_references(postgres_url: str) -> None:
    """A worker whose batch is still open does not hold the counter: a second worker allocates
    at once, and neither fails on creating the year's counter row (once an IntegrityError that
    quarantined a request)."""
    with postgres_database(postgres_url) as url:
        engine = make_engine(url)
        try:
            first = Session(engine)
            ref_a = next_reference(first, 2031)  # batch A stays open, uncommitted
            got: list[str] = []
            errors: list[BaseException] = []

            def other_worker() -> None:
                try:
                    with Session(engine) as second:
                        got.append(next_reference(second, 2031, prefix="ITS"))
                        second.commit()
                except BaseException as exc:  # reported below
                    errors.append(exc)

            thread = threading.Thread(target=other_worker)
            thread.start()
            thread.join(timeout=20)
            alive = thread.is_alive()
            first.rollback()  # batch A fails after all: a gap, never a duplicate
            first.close()
            thread.join(timeout=20)
            assert not alive, "the second worker waited for the first worker's batch"
            assert errors == []
            assert ref_a == "DS-2031-0001" and got == ["ITS-2031-0002"]
            with Session(engine) as third:
                assert next_reference(third, 2031) == "DS-2031-0003"
        finally:
            engine.dispose()


def test_postgres_numbers_go_on_after_the_counter_of_an_earlier_version(postgres_url: str) -> None:
    """A database whose year's numbers were kept in the counter row goes on after them; each
    year has numbers of its own."""
    with postgres_database(postgres_url) as url:
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("INSERT INTO referencecounter (year, last) VALUES (2031, 41)")
            with Session(engine) as session:
                refs = [next_reference(session, year) for year in (2031, 2031, 2032)]
            assert refs == ["DS-2031-0042", "DS-2031-0043", "DS-2032-0001"]
        finally:
            engine.dispose()


def test_a_new_case_is_numbered_as_next_reference_numbers(
    any_engine: tuple[Engine, Config],
) -> None:
    """On PostgreSQL the INSERT of a case takes its number itself: the same references as
    `next_reference` gives, from the same sequence, four digits at least and five after 9999,
    the mailbox's prefix and the year of receipt."""
    engine, config = any_engine
    received = utcnow().replace(year=2033)
    result = Classification(Kind.human, "sv", ("access",), 0.9)
    with Session(engine) as session:
        refs = [open_case(session, config, "a@example.se", "A", result, received).reference]
        refs.append(next_reference(session, 2033))
        refs.append(open_case(session, config, "b@example.se", "B", result, received).reference)
        if engine.dialect.name == "postgresql":
            session.connection().exec_driver_sql("SELECT setval('privbot_reference_2033', 9998)")
        else:
            session.connection().exec_driver_sql(
                "UPDATE referencecounter SET last = 9998 WHERE year = 2033"
            )
        refs += [
            open_case(session, config, "c@example.se", "C", result, received).reference
            for _ in range(2)
        ]
        session.commit()
    assert refs == ["DS-2033-0001", "DS-2033-0002", "DS-2033-0003", "DS-2033-9999", "DS-2033-10000"]
    with Session(engine) as session:
        stored = (
            session.connection()
            .exec_driver_sql('SELECT reference FROM "case" ORDER BY id')
            .scalars()
            .all()
        )
    assert stored == [refs[0], refs[2], refs[3], refs[4]]


@pytest.mark.parametrize(
    "text, found",
    [
        ("Re: [ds-2026-0042] tack", ["DS-2026-0042"]),
        ("no reference 2026-0042", []),
        (
            "DS-2026-0001 och its-2027-123456, inte x-2026-1234567 eller 2026-03-12",
            ["DS-2026-0001", "ITS-2027-123456"],
        ),
        ("Hej\n" + "text - med 1234 - streck\n" * 500 + "ärende DS-2026-0042.", ["DS-2026-0042"]),
        ("DSKABCDEF-2026-0042 DS-20261-0042 DS-2026-004", []),
    ],
)
def test_find_references(text: str, found: list[str]) -> None:
    assert find_references(text) == found
