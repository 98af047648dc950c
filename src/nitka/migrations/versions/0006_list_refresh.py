"""Requests to re-read watch-list entries, for every process that screens.

A screening server may run several worker processes, each with its own
index in memory, and the ingest that changed a list runs in yet another
process. A refresh request is a row here; every screening process reads the
rows it has not seen (and new withdrawals) about once a second, so a notice
added, changed or cancelled takes effect in all of them. ``watch_list``
names the datasets screened against, so that an ingest into one of them
files its refresh requests itself.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "list_refresh",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_list_refresh"),
    )
    op.create_table(
        "watch_list",
        sa.Column("dataset", sa.String(ID), nullable=False),
        sa.Column("first_screened_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("dataset", name="pk_watch_list"),
    )


def downgrade() -> None:
    op.drop_table("watch_list")
    op.drop_table("list_refresh")
