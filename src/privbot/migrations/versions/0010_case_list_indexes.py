"""case list indexes: open cases by deadline (partial), updated_at and purged_at (search catch-up)

Revision ID: 0010
Revises: 0009
Created: 2026-12-02 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OPEN = sa.text("status != 'closed'")


def upgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_purged_at"), ["purged_at"], unique=False)
    op.create_index(
        "ix_case_open_effective_due",
        "case",
        [sa.text("coalesce(extended_due, due)"), "id"],
        unique=False,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_case_open_effective_due", table_name="case")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_purged_at"))
        batch_op.drop_index(batch_op.f("ix_case_updated_at"))
