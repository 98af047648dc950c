"""The trips projection: one row per traveller of each Trip entity.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "analysis_trip",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("traveller", sa.String(ID), nullable=False),
        sa.Column("start", sa.DateTime, nullable=False),
        sa.Column("end", sa.DateTime, nullable=True),
        sa.Column("origin", sa.Text, nullable=True),
        sa.Column("origin_country", sa.String(8), nullable=True),
        sa.Column("destination", sa.Text, nullable=True),
        sa.Column("destination_country", sa.String(8), nullable=True),
        sa.Column("carrier", sa.String(ID), nullable=True),
        sa.Column("scope", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", "traveller", name="pk_analysis_trip"),
    )
    for column in ("traveller", "start", "destination_country"):
        op.create_index(f"ix_analysis_trip_{column}", "analysis_trip", [column])


def downgrade() -> None:
    for column in ("traveller", "start", "destination_country"):
        op.drop_index(f"ix_analysis_trip_{column}", table_name="analysis_trip")
    op.drop_table("analysis_trip")
