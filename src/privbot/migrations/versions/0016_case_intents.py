"""caseintent: the intents of every case one a row, kept by triggers, for the intent filter

Filled from the cases there are; the statistics on the intents as text (0013) go, the lists
no longer filter on that expression.

Revision ID: 0016
Revises: 0015
Created: 2026-12-02 12:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

from privbot.models import INTENT_TRIGGERS

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

FILL = {
    "sqlite": "INSERT OR IGNORE INTO caseintent (intent, case_id) "
    'SELECT DISTINCT substr(j.value, 1, 40), c.id FROM "case" AS c, '
    "json_each(CASE WHEN json_valid(c.intents) THEN c.intents ELSE '[]' END) AS j "
    "WHERE j.type = 'text'",
    "postgresql": "INSERT INTO caseintent (intent, case_id) "
    'SELECT DISTINCT left(v, 40), c.id FROM "case" AS c, '
    "json_array_elements_text(CASE WHEN json_typeof(c.intents) = 'array' "
    "THEN c.intents ELSE '[]'::json END) AS v ON CONFLICT DO NOTHING",
}


def upgrade() -> None:
    op.create_table(
        "caseintent",
        sa.Column("intent", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("intent", "case_id"),
    )
    dialect = op.get_bind().dialect.name
    for statement in INTENT_TRIGGERS.get(dialect, []):
        op.execute(statement)
    if dialect in FILL:
        op.execute(FILL[dialect])
    if dialect == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS case_intents_text")
        op.execute("ANALYZE caseintent")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute('DROP TRIGGER IF EXISTS case_intents_update ON "case"')
        op.execute('DROP TRIGGER IF EXISTS case_intents_insert ON "case"')
        op.execute("DROP FUNCTION IF EXISTS case_intents_sync()")
        op.execute(
            'CREATE STATISTICS IF NOT EXISTS case_intents_text ON ((intents)::varchar) FROM "case"'
        )
    else:
        op.execute("DROP TRIGGER IF EXISTS case_intents_update")
        op.execute("DROP TRIGGER IF EXISTS case_intents_insert")
    op.drop_table("caseintent")
