"""open cases by assignee and deadline, and by assignee and receipt (partial indexes)

Revision ID: 0012
Revises: 0011
Created: 2026-12-02 11:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OPEN = sa.text("status != 'closed'")


def upgrade() -> None:
    op.create_index(
        "ix_case_open_assignee_due",
        "case",
        ["assignee", sa.text("coalesce(extended_due, due)"), "id"],
        unique=False,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_index(
        "ix_case_open_assignee_received",
        "case",
        ["assignee", "received_at"],
        unique=False,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_case_open_assignee_received", table_name="case")
    op.drop_index("ix_case_open_assignee_due", table_name="case")
