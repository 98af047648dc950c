"""Entity resolution over the store: runs, their candidate pairs, batches, settings.

- ``resolve_run``: one linkage run's figures and its model's levels.
- ``resolve_candidate``: pairs a run scored as maybe one person, and what analysts
  decided of them (the decisions themselves are judgements).
- ``resolve_batch``: candidates accepted at once above the administrator's threshold.
- ``store_setting``: settings an administrator changes in the store.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "resolve_run",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("user", sa.String(ID), nullable=False),
        sa.Column("engine", sa.String(16), nullable=False),
        sa.Column("datasets", sa.Text, nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("pairs", sa.Integer, nullable=False),
        sa.Column("links", sa.Integer, nullable=False),
        sa.Column("clusters", sa.Integer, nullable=False),
        sa.Column("largest", sa.Integer, nullable=False),
        sa.Column("sizes", sa.Text, nullable=False),
        sa.Column("trained", sa.Boolean, nullable=False),
        sa.Column("levels", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_resolve_run"),
    )
    op.create_table(
        "resolve_candidate",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("left_id", sa.String(ID), nullable=False),
        sa.Column("right_id", sa.String(ID), nullable=False),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("comparisons", sa.Text, nullable=False),
        sa.Column("clustered", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("judgement_id", sa.Integer, nullable=True),
        sa.Column("batch_id", sa.Integer, nullable=True),
        sa.Column("decided_by", sa.String(ID), nullable=True),
        sa.Column("decided_at", sa.DateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_resolve_candidate"),
    )
    for column in ("run_id", "left_id", "right_id", "batch_id"):
        op.create_index(f"ix_resolve_candidate_{column}", "resolve_candidate", [column])
    op.create_index(
        "ix_resolve_candidate_state_probability", "resolve_candidate", ["state", "probability"]
    )
    op.create_table(
        "resolve_batch",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("user", sa.String(ID), nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("accepted", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("undone_at", sa.DateTime, nullable=True),
        sa.Column("undone_by", sa.String(ID), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_resolve_batch"),
    )
    op.create_table(
        "store_setting",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("changed_by", sa.String(ID), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_store_setting"),
    )


def downgrade() -> None:
    op.drop_table("store_setting")
    op.drop_table("resolve_batch")
    op.drop_index("ix_resolve_candidate_state_probability", table_name="resolve_candidate")
    for column in ("run_id", "left_id", "right_id", "batch_id"):
        op.drop_index(f"ix_resolve_candidate_{column}", table_name="resolve_candidate")
    op.drop_table("resolve_candidate")
    op.drop_table("resolve_run")
