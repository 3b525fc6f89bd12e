"""web sessions and login counters: server-side staff sessions and the sign-in throttle

Revision ID: 0007
Revises: 0006
Created: 2026-12-02 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "websession",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_websession_user_id"), "websession", ["user_id"], unique=False)
    op.create_index(op.f("ix_websession_last_seen"), "websession", ["last_seen"], unique=False)
    op.create_index(op.f("ix_websession_expires_at"), "websession", ["expires_at"], unique=False)
    op.create_table(
        "logincounter",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("window_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(
        op.f("ix_logincounter_window_start"), "logincounter", ["window_start"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_logincounter_window_start"), table_name="logincounter")
    op.drop_table("logincounter")
    op.drop_index(op.f("ix_websession_expires_at"), table_name="websession")
    op.drop_index(op.f("ix_websession_last_seen"), table_name="websession")
    op.drop_index(op.f("ix_websession_user_id"), table_name="websession")
    op.drop_table("websession")
