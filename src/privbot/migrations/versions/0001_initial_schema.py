"""initial schema

Revision ID: 0001
Revises:
Created: 2026-11-26 12:21:06.390012
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "awaiting_identity",
                "in_progress",
                "awaiting_requester",
                "draft_ready",
                "approved",
                "sent",
                "closed",
                name="status",
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum("fulfilled", "denied", "withdrawn", "duplicate", name="outcome"),
            nullable=True,
        ),
        sa.Column("outcome_reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("intents", sa.JSON(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("requester_email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("requester_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("extended_due", sa.Date(), nullable=True),
        sa.Column("extension_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("identity_verified", sa.Boolean(), nullable=False),
        sa.Column("verified_how", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("assignee", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("third_party", sa.Boolean(), nullable=False),
        sa.Column("purged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["duplicate_of"],
            ["case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.create_index("ix_case_assignee_status", ["assignee", "status"], unique=False)
        # Queues sort by the effective deadline; autogenerate cannot see expression indexes.
        batch_op.create_index(
            "ix_case_status_effective_due",
            ["status", sa.text("coalesce(extended_due, due)"), "id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_case_due"), ["due"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_reference"), ["reference"], unique=True)
        batch_op.create_index(
            batch_op.f("ix_case_requester_email"), ["requester_email"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_status"), ["status"], unique=False)

    op.create_table(
        "chatsession",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("intents", sa.JSON(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("chatsession", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chatsession_last_seen"), ["last_seen"], unique=False)

    op.create_table(
        "digestrun",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("due_soon", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "referencecounter",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("role", sa.Enum("staff", "supervisor", "admin", name="role"), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_name"), ["name"], unique=True)

    op.create_table(
        "auditevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditevent_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditevent_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditevent_case_id"), ["case_id"], unique=False)

    op.create_table(
        "casepause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("casepause", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_casepause_case_id"), ["case_id"], unique=False)

    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=998), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "approved", "rejected", "superseded", name="draftstatus"),
            nullable=False,
        ),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("edited_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("reject_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_status"), ["status"], unique=False)

    op.create_table(
        "spoolentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=998), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("source_ref", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("pending", "done", "screened", "quarantined", name="spoolstate"),
            nullable=False,
        ),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("processed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id", "content_hash"),
    )
    with op.batch_alter_table("spoolentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_spoolentry_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_spoolentry_message_id"), ["message_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_spoolentry_received_at"), ["received_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_spoolentry_state"), ["state"], unique=False)

    op.create_table(
        "chatrequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("intents", sa.JSON(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=998), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("spool_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["spool_id"],
            ["spoolentry.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("chatrequest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chatrequest_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_chatrequest_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_chatrequest_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_chatrequest_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chatrequest_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_chatrequest_token_hash"), ["token_hash"], unique=False)

    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("spool_id", sa.Integer(), nullable=True),
        sa.Column("direction", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=998), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("from_addr", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("from_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("to_addr", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("html", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("classification", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["spool_id"],
            ["spoolentry.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_message_message_id"), ["message_id"], unique=False)

    op.create_table(
        "outgoingmail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=998), nullable=False),
        sa.Column("to_addr", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("queued", "sending", "sent", "failed", "uncertain", name="outstatus"),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outgoingmail", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outgoingmail_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_outgoingmail_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outgoingmail_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outgoingmail_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_outgoingmail_to_addr"), ["to_addr"], unique=False)

    op.create_table(
        "identitytoken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("salt", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("link_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("outgoing_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["outgoing_id"],
            ["outgoingmail.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("identitytoken", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identitytoken_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_identitytoken_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_identitytoken_link_hash"), ["link_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("identitytoken", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identitytoken_link_hash"))
        batch_op.drop_index(batch_op.f("ix_identitytoken_created_at"))
        batch_op.drop_index(batch_op.f("ix_identitytoken_case_id"))

    op.drop_table("identitytoken")
    with op.batch_alter_table("outgoingmail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outgoingmail_to_addr"))
        batch_op.drop_index(batch_op.f("ix_outgoingmail_status"))
        batch_op.drop_index(batch_op.f("ix_outgoingmail_message_id"))
        batch_op.drop_index(batch_op.f("ix_outgoingmail_created_at"))
        batch_op.drop_index(batch_op.f("ix_outgoingmail_case_id"))

    op.drop_table("outgoingmail")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_message_id"))
        batch_op.drop_index(batch_op.f("ix_message_case_id"))

    op.drop_table("message")
    with op.batch_alter_table("chatrequest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chatrequest_token_hash"))
        batch_op.drop_index(batch_op.f("ix_chatrequest_state"))
        batch_op.drop_index(batch_op.f("ix_chatrequest_session_id"))
        batch_op.drop_index(batch_op.f("ix_chatrequest_expires_at"))
        batch_op.drop_index(batch_op.f("ix_chatrequest_email"))
        batch_op.drop_index(batch_op.f("ix_chatrequest_created_at"))

    op.drop_table("chatrequest")
    with op.batch_alter_table("spoolentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spoolentry_state"))
        batch_op.drop_index(batch_op.f("ix_spoolentry_received_at"))
        batch_op.drop_index(batch_op.f("ix_spoolentry_message_id"))
        batch_op.drop_index(batch_op.f("ix_spoolentry_case_id"))

    op.drop_table("spoolentry")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_status"))
        batch_op.drop_index(batch_op.f("ix_draft_case_id"))

    op.drop_table("draft")
    with op.batch_alter_table("casepause", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_casepause_case_id"))

    op.drop_table("casepause")
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditevent_case_id"))
        batch_op.drop_index(batch_op.f("ix_auditevent_at"))
        batch_op.drop_index(batch_op.f("ix_auditevent_action"))

    op.drop_table("auditevent")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_name"))

    op.drop_table("user")
    op.drop_table("referencecounter")
    op.drop_table("digestrun")
    with op.batch_alter_table("chatsession", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chatsession_last_seen"))

    op.drop_table("chatsession")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_status"))
        batch_op.drop_index(batch_op.f("ix_case_requester_email"))
        batch_op.drop_index(batch_op.f("ix_case_reference"))
        batch_op.drop_index(batch_op.f("ix_case_received_at"))
        batch_op.drop_index(batch_op.f("ix_case_due"))
        batch_op.drop_index("ix_case_assignee_status")

    op.drop_table("case")
