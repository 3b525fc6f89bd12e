"""a handler's open cases by receipt with the deadline in the index (PostgreSQL); statistics on
the intents as text and on more search words (PostgreSQL)

Revision ID: 0013
Revises: 0012
Created: 2026-12-02 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from privbot import search

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OPEN = sa.text("status != 'closed'")


def _received(include: bool) -> None:
    op.create_index(
        "ix_case_open_assignee_received",
        "case",
        ["assignee", "received_at"] + (["id"] if include else []),
        unique=False,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
        postgresql_include=["extended_due", "due"] if include else [],
    )


def upgrade() -> None:
    op.drop_index("ix_case_open_assignee_received", table_name="case")
    _received(include=True)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            'CREATE STATISTICS IF NOT EXISTS case_intents_text ON ((intents)::varchar) FROM "case"'
        )
        op.execute(search.STATISTICS)
        op.execute('ANALYZE "case"')
        op.execute("ANALYZE %s" % search.TABLE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE %s ALTER COLUMN document SET STATISTICS -1" % search.TABLE)
        op.execute("DROP STATISTICS IF EXISTS case_intents_text")
    op.drop_index("ix_case_open_assignee_received", table_name="case")
    _received(include=False)
