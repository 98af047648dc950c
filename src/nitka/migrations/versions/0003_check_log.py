"""The log of every check against watch lists, and notices to list owners of hits.

Both tables are append-only: a trigger refuses every UPDATE and DELETE, in
SQLite and PostgreSQL alike (Directive 2016/680 Art. 25 asks for logs of
every consultation that cannot be altered).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = 255
APPEND_ONLY = ("check_log", "owner_notice")


def upgrade() -> None:
    op.create_table(
        "check_log",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("checked_at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(ID), nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_check_log"),
    )
    op.create_index("ix_check_log_checked_at", "check_log", ["checked_at"])
    op.create_index("ix_check_log_user", "check_log", ["user"])
    op.create_table(
        "owner_notice",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("check_id", sa.Integer, nullable=False),
        sa.Column("entry_id", sa.String(ID), nullable=False),
        sa.Column("list", sa.String(ID), nullable=False),
        sa.Column("records", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_owner_notice"),
        sa.ForeignKeyConstraint(["check_id"], ["check_log.id"], name="fk_owner_notice_check_id"),
    )
    op.create_index("ix_owner_notice_list", "owner_notice", ["list"])
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"""CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
                    BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
                )
    else:
        op.execute(
            """CREATE FUNCTION nitka_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"""
        )
        for table in APPEND_ONLY:
            op.execute(
                f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION nitka_append_only()"""
            )


def downgrade() -> None:
    op.drop_table("owner_notice")
    op.drop_table("check_log")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS nitka_append_only()")
