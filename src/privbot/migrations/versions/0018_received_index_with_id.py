"""ix_case_received_at ends in the id: a page deep in the all-cases list reads index entries only

Revision ID: 0018
Revises: 0017
Created: 2026-12-02 12:35:00
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_case_received_at", table_name="case")
    op.create_index("ix_case_received_at", "case", ["received_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_case_received_at", table_name="case")
    op.create_index("ix_case_received_at", "case", ["received_at"], unique=False)
