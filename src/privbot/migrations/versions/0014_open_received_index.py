"""open cases by receipt with their deadline (partial index): overdue cases newest first

Revision ID: 0014
Revises: 0013
Created: 2026-12-02 12:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OPEN = sa.text("status != 'closed'")


def upgrade() -> None:
    op.create_index(
        "ix_case_open_received",
        "case",
        ["received_at", "id", "extended_due", "due"],
        unique=False,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_case_open_received", table_name="case")
