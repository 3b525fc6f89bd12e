"""case.notify_by: the art. 33 deadline (72 hours from receipt) of a reported personal data breach

Revision ID: 0009
Revises: 0008
Created: 2026-12-02 05:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notify_by", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_case_notify_by"), ["notify_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_notify_by"))
        batch_op.drop_column("notify_by")
