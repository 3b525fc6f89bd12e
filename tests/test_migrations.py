"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from privbot.db import alembic_config, make_engine
from privbot.search import is_search_table
from tests.helpers import postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = sqlalchemy.create_engine("sqlite:///%s" % (tmp_path / "m.db"))
        yield engine
        engine.dispose()
        return
    with postgres_database(request.getfixturevalue("postgres_url")) as url:
        engine = sqlalchemy.create_engine(url)
        yield engine
        engine.dispose()


def not_search_table(name: str | None, kind: str, _parent: object) -> bool:
    """The full-text search table is made by its migration in the database's own kind."""
    return not (kind == "table" and is_search_table(name))


def upgrade_from_nothing(engine: Engine) -> None:
    """Run every migration on an empty database (not `create_all`)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def test_migrations_from_nothing_match_the_models(empty_engine: Engine) -> None:
    upgrade_from_nothing(empty_engine)
    with empty_engine.connect() as conn, warnings.catch_warnings():
        # Expression indexes cannot be reflected; the next test checks that one by name.
        warnings.filterwarnings("ignore", message=".*expression-based index")
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": not_search_table}
            ),
            SQLModel.metadata,
        )
    assert diff == []


def test_an_existing_database_is_upgraded_not_recreated(tmp_path: Path) -> None:
    url = "sqlite:///%s" % (tmp_path / "p.db")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("INSERT INTO referencecounter (year, last) VALUES (2026, 41)"))
    engine.dispose()
    engine = make_engine(url)  # a restart: upgrade (a no-op here) keeps the data
    with engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT last FROM referencecounter")).scalar() == 41
        assert conn.execute(sqlalchemy.text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()


def test_sqlite_intent_triggers_come_back_after_the_table_was_made_anew(tmp_path: Path) -> None:
    """A batch migration of `case` on SQLite drops its triggers; starting the app puts them back."""
    url = "sqlite:///%s" % (tmp_path / "t.db")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("DROP TRIGGER case_intents_insert"))
    engine.dispose()
    engine = make_engine(url)
    with engine.connect() as conn:
        names = set(
            conn.execute(
                sqlalchemy.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).scalars()
        )
    engine.dispose()
    assert {"case_intents_insert", "case_intents_update"} <= names


def test_the_expression_index_of_the_queues_is_created(empty_engine: Engine) -> None:
    upgrade_from_nothing(empty_engine)
    query = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index'",  # the inspector skips expression indexes
        "postgresql": "SELECT indexname FROM pg_indexes WHERE tablename = 'case'",
    }[empty_engine.dialect.name]
    with empty_engine.connect() as conn:
        names = set(conn.execute(sqlalchemy.text(query)).scalars())
    assert "ix_case_status_effective_due" in names
    assert "ix_case_open_effective_due" in names
    assert "ix_case_open_assignee_received" in names
    assert "ix_case_open_assignee_due" in names
    assert "ix_case_open_received" in names
    assert "ix_case_effective_due" in names


def test_postgresql_planner_statistics_are_there_however_the_schema_was_made(
    postgres_url: str,
) -> None:
    """The search column's larger sample and the intent triggers: by the migrations and on a
    fresh database alike (the planner's estimates, and so the search plans, depend on it)."""
    for made_by in ("migrations", "make_engine"):
        with postgres_database(postgres_url) as url:
            if made_by == "migrations":
                engine = sqlalchemy.create_engine(url)
                upgrade_from_nothing(engine)
            else:
                engine = make_engine(url)
            with engine.connect() as conn:
                triggers = set(
                    conn.execute(
                        sqlalchemy.text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
                    ).scalars()
                )
                target = conn.execute(
                    sqlalchemy.text(
                        "SELECT attstattarget FROM pg_attribute "
                        "WHERE attrelid = 'case_search'::regclass AND attname = 'document'"
                    )
                ).scalar()
                include = conn.execute(
                    sqlalchemy.text(
                        "SELECT indexdef FROM pg_indexes "
                        "WHERE indexname = 'ix_case_open_assignee_received'"
                    )
                ).scalar()
            engine.dispose()
            assert {"case_intents_insert", "case_intents_update"} <= triggers, made_by
            assert target == 1000, made_by
            assert "INCLUDE (extended_due, due)" in str(include), made_by
