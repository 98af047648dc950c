"""An index of the calls projection by cell and start, for co-location: the calls
through one cell within minutes of a time, read as one index range however many
calls the store holds (``nitka calls colocated``).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-09
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_analysis_call_cell_start", "analysis_call", ["cell", "start"])


def downgrade() -> None:
    op.drop_index("ix_analysis_call_cell_start", table_name="analysis_call")
