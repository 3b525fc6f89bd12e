"""draft notes for staff; a bounced reply: outgoing status `bounced`, the case's delivery problem

Revision ID: 0008
Revises: 0007
Created: 2026-12-02 05:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draft") as batch:
        batch.add_column(
            sa.Column(
                "notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
            )
        )
    with op.batch_alter_table("case") as batch:
        batch.add_column(
            sa.Column(
                "delivery_problem",
                sqlmodel.sql.sqltypes.AutoString(length=500),
                nullable=False,
                server_default="",
            )
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TYPE outstatus ADD VALUE IF NOT EXISTS 'bounced'")


def downgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.drop_column("delivery_problem")
    with op.batch_alter_table("draft") as batch:
        batch.drop_column("notes")
