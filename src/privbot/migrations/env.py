"""Alembic environment: runs on the connection `db.migrate` hands over; never reads a URL itself."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from privbot import models  # noqa: F401  (registers the tables)
from privbot.search import is_search_table

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
    # The full-text search table is the database's own kind (FTS5, tsvector), not a model.
    include_name=lambda name, kind, _parent: not (kind == "table" and is_search_table(name)),
)
with context.begin_transaction():
    context.run_migrations()
