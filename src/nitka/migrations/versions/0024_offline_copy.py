"""Offline copies: ``offline_origin`` (in a copy) and ``offline_check`` (on the server).

A copy made by ``nitka offline pull`` is a Nitka store of its own; its one
``offline_origin`` row says where it came from and how far it has read the
server's change sequence. The server keeps the checks uploaded from copies in
``offline_check``, once each by the copy's id and the check's number.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offline_origin",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("copy_id", sa.String(64), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("account", sa.String(255), nullable=False),
        sa.Column("lists", sa.Text, nullable=False),
        sa.Column("server_key", sa.String(64), nullable=False),
        sa.Column("sight", sa.String(64), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("pulled_at", sa.DateTime, nullable=False),
        sa.Column("synced_at", sa.DateTime, nullable=False),
        sa.Column("uploaded_through", sa.BigInteger, nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_offline_origin"),
    )
    op.create_table(
        "offline_check",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("copy_id", sa.String(64), nullable=False),
        sa.Column("check_id", sa.BigInteger, nullable=False),
        sa.Column("account", sa.String(255), nullable=False),
        sa.Column("user", sa.String(255), nullable=False),
        sa.Column("checked_at", sa.DateTime, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_offline_check"),
        sa.UniqueConstraint("copy_id", "check_id", name="uq_offline_check"),
    )
    op.create_index("ix_offline_check_account", "offline_check", ["account"])
    op.create_index("ix_offline_check_checked_at", "offline_check", ["checked_at"])


def downgrade() -> None:
    op.drop_index("ix_offline_check_checked_at", table_name="offline_check")
    op.drop_index("ix_offline_check_account", table_name="offline_check")
    op.drop_table("offline_check")
    op.drop_table("offline_origin")
