"""mailboxes: every case (and spooled message) belongs to one; staff may be limited to some

Existing cases belong to the mailbox `default`, the name of the implicit single mailbox.

Revision ID: 0011
Revises: 0010
Created: 2026-12-02 07:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.add_column(
            sa.Column(
                "mailbox",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                nullable=False,
                server_default="default",
            )
        )
        batch.create_index("ix_case_mailbox", ["mailbox"], unique=False)
    with op.batch_alter_table("spoolentry") as batch:
        batch.add_column(
            sa.Column(
                "mailbox",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("mailboxes", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("mailboxes")
    with op.batch_alter_table("spoolentry") as batch:
        batch.drop_column("mailbox")
    with op.batch_alter_table("case") as batch:
        batch.drop_index("ix_case_mailbox")
        batch.drop_column("mailbox")
