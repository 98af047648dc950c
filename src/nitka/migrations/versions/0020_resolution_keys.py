"""Incremental entity resolution: the prepared records and their blocking keys, and
the model a run trained.

- ``resolve_record``: each Person source entity's prepared columns (JSON).
- ``resolve_key``: their blocking keys, one row per key, looked up by key.
- ``resolve_run.model``: the trained Splink model (JSON); ``resolve_run.seq``: the
  change sequence's number when the run read the store.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "resolve_record",
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.Column("name_tf", sa.String(ID), nullable=True),
        sa.Column("prepared", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("entity_id", name="pk_resolve_record"),
    )
    op.create_index("ix_resolve_record_name_tf", "resolve_record", ["name_tf"])
    op.create_table(
        "resolve_key",
        sa.Column("key", sa.String(ID), nullable=False),
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("key", "entity_id", name="pk_resolve_key"),
    )
    op.create_index("ix_resolve_key_entity_id", "resolve_key", ["entity_id"])
    with op.batch_alter_table("resolve_run") as table:
        table.add_column(sa.Column("model", sa.Text, nullable=True))
        table.add_column(sa.Column("seq", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resolve_run") as table:
        table.drop_column("seq")
        table.drop_column("model")
    op.drop_index("ix_resolve_key_entity_id", table_name="resolve_key")
    op.drop_table("resolve_key")
    op.drop_index("ix_resolve_record_name_tf", table_name="resolve_record")
    op.drop_table("resolve_record")
