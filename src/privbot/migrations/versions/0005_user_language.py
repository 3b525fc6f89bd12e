"""user language: each staff member's choice of the web app's language

Revision ID: 0005
Revises: 0004
Created: 2026-12-02 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("user") as batch:
        batch.alter_column("language", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("language")
