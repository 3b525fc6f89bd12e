"""case search: the full-text search document of every case (FTS5 on SQLite, tsvector on PostgreSQL)

Revision ID: 0006
Revises: 0005
Created: 2026-12-02 04:45:00
"""

from __future__ import annotations

from alembic import op

from privbot import search

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    search.create_schema(conn)
    search.rebuild(conn)  # the cases already there


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS %s" % search.STATE)
    op.execute("DROP TABLE IF EXISTS %s" % search.TABLE)
