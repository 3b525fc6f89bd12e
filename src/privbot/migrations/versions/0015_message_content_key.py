"""message content key: a resend is found by sender and a hash of its subject and text

Rows written before have no key; the lookup reads their subject and text as it did before.

Revision ID: 0015
Revises: 0014
Created: 2026-12-02 11:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.add_column(
            sa.Column("content_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.create_index(
            "ix_message_from_addr_content_key", ["from_addr", "content_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.drop_index("ix_message_from_addr_content_key")
        batch.drop_column("content_key")
