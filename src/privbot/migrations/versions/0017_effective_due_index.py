"""every case by its effective deadline: the all-cases list sorted by due date without a status

Revision ID: 0017
Revises: 0016
Created: 2026-12-02 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_case_effective_due",
        "case",
        [sa.text("coalesce(extended_due, due)"), "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_case_effective_due", table_name="case")
