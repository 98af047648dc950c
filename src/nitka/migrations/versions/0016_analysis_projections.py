"""The analysis projections: calls and payments as typed, indexed tables.

- ``analysis_call`` and ``analysis_payment``: one row per ``Call`` and
  ``Payment`` entity, derived from the statements (``nitka.analysis``), never
  written by hand; rebuilt on demand and kept current by following the change
  sequence.
- ``analysis_scope``: who may see a row (the sources of the statements behind
  it); rows name their scope by id.
- ``analysis_reject``: entities a projection could not take in, with the field
  and the reason.
- ``analysis_position``: how far each projection has read the change sequence.

The tables start empty: the first query of each kind builds its projection
from the statements already stored.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "analysis_scope",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analysis_scope"),
        sa.UniqueConstraint("key", name="uq_analysis_scope_key"),
    )
    op.create_table(
        "analysis_call",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("caller", sa.String(64), nullable=False),
        sa.Column("callee", sa.String(64), nullable=False),
        sa.Column("start", sa.DateTime, nullable=False),
        sa.Column("duration", sa.Integer, nullable=True),
        sa.Column("cell", sa.String(ID), nullable=True),
        sa.Column("imei", sa.String(32), nullable=True),
        sa.Column("imsi", sa.String(32), nullable=True),
        sa.Column("scope", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analysis_call"),
    )
    op.create_index("ix_analysis_call_caller_callee", "analysis_call", ["caller", "callee"])
    op.create_index("ix_analysis_call_callee_caller", "analysis_call", ["callee", "caller"])
    op.create_index("ix_analysis_call_start", "analysis_call", ["start"])
    op.create_table(
        "analysis_payment",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("payer", sa.String(ID), nullable=False),
        sa.Column("payer_entity", sa.String(ID), nullable=False),
        sa.Column("payee", sa.String(ID), nullable=False),
        sa.Column("payee_entity", sa.String(ID), nullable=False),
        sa.Column("amount", sa.Numeric(24, 6, asdecimal=False), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("channel", sa.Text, nullable=True),
        sa.Column("scope", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analysis_payment"),
    )
    op.create_index("ix_analysis_payment_payer_payee", "analysis_payment", ["payer", "payee"])
    op.create_index("ix_analysis_payment_payee_payer", "analysis_payment", ["payee", "payer"])
    op.create_index("ix_analysis_payment_at", "analysis_payment", ["at"])
    for column in ("payer_entity", "payee_entity"):
        op.create_index(f"ix_analysis_payment_{column}", "analysis_payment", [column])
    op.create_table(
        "analysis_reject",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("records", sa.Text, nullable=False),
        sa.Column("scope", sa.Integer, nullable=False),
        sa.Column("noted_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("kind", "entity_id", name="pk_analysis_reject"),
    )
    op.create_table(
        "analysis_position",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("rebuilt_at", sa.DateTime, nullable=True),
        sa.PrimaryKeyConstraint("kind", name="pk_analysis_position"),
    )


def downgrade() -> None:
    op.drop_table("analysis_position")
    op.drop_table("analysis_reject")
    for column in ("payer_entity", "payee_entity"):
        op.drop_index(f"ix_analysis_payment_{column}", table_name="analysis_payment")
    op.drop_index("ix_analysis_payment_at", table_name="analysis_payment")
    op.drop_index("ix_analysis_payment_payee_payer", table_name="analysis_payment")
    op.drop_index("ix_analysis_payment_payer_payee", table_name="analysis_payment")
    op.drop_table("analysis_payment")
    op.drop_index("ix_analysis_call_start", table_name="analysis_call")
    op.drop_index("ix_analysis_call_callee_caller", table_name="analysis_call")
    op.drop_index("ix_analysis_call_caller_callee", table_name="analysis_call")
    op.drop_table("analysis_call")
    op.drop_table("analysis_scope")
