"""The after-write step's outbox: one sequence of changes that every reader follows.

- ``change``: appended in the same transaction as every write that changes
  what readers see (statements added, erased or merged, judgements, list
  entries withdrawn or reinstated, retention deletions). Screening workers,
  caches and projections read the rows after the last ``seq`` they saw.
- ``list_refresh`` and ``watch_list`` are dropped: refresh requests are change
  rows now, and every ingest appends one, whichever dataset it writes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "change",
        sa.Column("seq", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("entity_ids", sa.Text, nullable=False),
        sa.Column("datasets", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_change"),
    )
    op.drop_table("list_refresh")
    op.drop_table("watch_list")


def downgrade() -> None:
    op.create_table(
        "watch_list",
        sa.Column("dataset", sa.String(ID), nullable=False),
        sa.Column("first_screened_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("dataset", name="pk_watch_list"),
    )
    op.create_table(
        "list_refresh",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_list_refresh"),
    )
    op.drop_table("change")
