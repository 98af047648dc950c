"""The audit trail: every sign-in, search, view, check, export, disclosure and
change, hash-chained.

Each record carries the hash of the one before it, so a record changed,
removed or slipped in breaks the chain where it happened, and ``nitka audit
verify`` names it. ``audit_head`` holds the last record's id and hash: it
serialises appends (each takes its row lock) and shows when records were cut
off the end. The log refuses UPDATE and DELETE in the database itself; the
head refuses DELETE.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = 255
GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(ID), nullable=False),
        sa.Column("origin", sa.String(ID), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("entities", sa.Text, nullable=False),
        sa.Column("result_size", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_actor", "audit_log", ["actor"])
    op.create_table(
        "audit_entity",
        sa.Column("audit_id", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", "entity_id", name="pk_audit_entity"),
        sa.ForeignKeyConstraint(["audit_id"], ["audit_log.id"], name="fk_audit_entity_audit_id"),
    )
    op.create_index("ix_audit_entity_entity_id", "audit_entity", ["entity_id"])
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("last_id", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.execute(f"INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '{GENESIS}')")
    sqlite = op.get_bind().dialect.name == "sqlite"
    guarded = (("audit_log", "UPDATE"), ("audit_log", "DELETE"), ("audit_entity", "UPDATE"),
               ("audit_entity", "DELETE"), ("audit_head", "DELETE"))  # fmt: skip
    for table, action in guarded:
        name = f"{table}_no_{action.lower()}"
        if sqlite:
            op.execute(
                f"""CREATE TRIGGER {name} BEFORE {action} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
            )
        else:
            op.execute(
                f"""CREATE TRIGGER {name} BEFORE {action} ON {table}
                FOR EACH ROW EXECUTE FUNCTION nitka_append_only()"""
            )


def downgrade() -> None:
    op.drop_table("audit_head")
    op.drop_table("audit_entity")
    op.drop_table("audit_log")
