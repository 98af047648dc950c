"""Threat assessment: ``assess_rating`` (a group's ratings with their evidence) and
``assess_override`` (an analyst's answer to a legal criterion of a case).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "assess_rating",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("group_id", sa.String(ID), nullable=False),
        sa.Column("attribute", sa.String(32), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("rated_by", sa.String(ID), nullable=False),
        sa.Column("rated_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assess_rating"),
    )
    op.create_index("ix_assess_rating_group_id", "assess_rating", ["group_id", "attribute", "id"])
    op.create_table(
        "assess_override",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(ID), nullable=False),
        sa.Column("criterion", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(ID), nullable=False),
        sa.Column("decided_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assess_override"),
    )
    op.create_index("ix_assess_override_case_id", "assess_override", ["case_id", "criterion", "id"])


def downgrade() -> None:
    op.drop_index("ix_assess_override_case_id", "assess_override")
    op.drop_table("assess_override")
    op.drop_index("ix_assess_rating_group_id", "assess_rating")
    op.drop_table("assess_rating")
