"""The analyst workstation: links found from either end, and charts saved in a case.

- ``ix_statement_link_value``: a partial index over the values that point at
  another entity or name a phone number, so an entity page and a chart find
  what refers to an entity (the Payments it made, the Passport it holds, the
  Calls of its number) without reading the whole store.
- ``chart``: a link chart saved in a case: its nodes, their positions, and
  who saved it when.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_index(
        "ix_statement_link_value",
        "statement",
        ["value"],
        sqlite_where=sa.text("prop_type IN ('entity', 'phone')"),
        postgresql_where=sa.text("prop_type IN ('entity', 'phone')"),
    )
    op.create_table(
        "chart",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(ID), nullable=False),
        sa.Column("elements", sa.Text, nullable=False),
        sa.Column("saved_by", sa.String(ID), nullable=False),
        sa.Column("saved_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_chart"),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name="fk_chart_case_id"),
        sa.UniqueConstraint("case_id", "name", name="uq_chart_case_id_name"),
    )


def downgrade() -> None:
    op.drop_table("chart")
    op.drop_index("ix_statement_link_value", table_name="statement")
