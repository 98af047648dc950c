"""Withdrawals of watch-list entries (a cancelled notice, a recovered document).

Statements are never deleted; a withdrawal says that an entry no longer
stands on a list, from when, by whom and why, and a reinstatement takes it
back. Append-only, like the check log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "list_withdrawal",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.Column("list", sa.String(ID), nullable=False),
        sa.Column("user", sa.String(ID), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_list_withdrawal"),
    )
    op.create_index("ix_list_withdrawal_entity_id", "list_withdrawal", ["entity_id"])
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"""CREATE TRIGGER list_withdrawal_no_{action.lower()} BEFORE {action}
                ON list_withdrawal
                BEGIN SELECT RAISE(ABORT, 'list_withdrawal is append-only'); END"""
            )
    else:
        op.execute(
            """CREATE TRIGGER list_withdrawal_append_only BEFORE UPDATE OR DELETE
            ON list_withdrawal FOR EACH ROW EXECUTE FUNCTION nitka_append_only()"""
        )


def downgrade() -> None:
    op.drop_table("list_withdrawal")
