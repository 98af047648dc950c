"""The ads' review list and trends: ``ad_review``, one row per screened ad.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "ad_review",
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.Column("dataset", sa.String(ID), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(16), nullable=True),
        sa.Column("risk", sa.Float, nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("indicators", sa.Text, nullable=False),
        sa.Column("published", sa.String(32), nullable=True),
        sa.Column("seen", sa.String(32), nullable=True),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("case_id", sa.String(ID), nullable=True),
        sa.Column("decided_by", sa.String(ID), nullable=True),
        sa.Column("decided_at", sa.String(32), nullable=True),
        sa.Column("screened_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", name="pk_ad_review"),
    )
    op.create_index("ix_ad_review_state", "ad_review", ["state", "risk"])
    op.create_index("ix_ad_review_week", "ad_review", ["week"])


def downgrade() -> None:
    op.drop_index("ix_ad_review_week", "ad_review")
    op.drop_index("ix_ad_review_state", "ad_review")
    op.drop_table("ad_review")
