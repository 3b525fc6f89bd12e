"""ix_spoolentry_pending: the pending spool entries in spool order, for the pipeline's claim

Revision ID: 0019
Revises: 0018
Created: 2026-12-02 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

PENDING = sa.text("state = 'pending'")


def upgrade() -> None:
    op.create_index(
        "ix_spoolentry_pending",
        "spoolentry",
        ["id"],
        unique=False,
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_spoolentry_pending", table_name="spoolentry")
