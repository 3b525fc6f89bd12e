"""case: addresses staff allowed to write for the requester, and a staff-verified personnummer

Revision ID: 0003
Revises: 0002
Created: 2026-12-02 04:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.add_column(
            sa.Column("allowed_senders", sa.JSON(), nullable=False, server_default="[]")
        )
        batch.add_column(
            sa.Column(
                "verified_pnr",
                sqlmodel.sql.sqltypes.AutoString(length=12),
                nullable=False,
                server_default="",
            )
        )
        batch.create_index("ix_case_verified_pnr", ["verified_pnr"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.drop_index("ix_case_verified_pnr")
        batch.drop_column("verified_pnr")
        batch.drop_column("allowed_senders")
