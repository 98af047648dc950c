"""The start page's overview of the store: what each source brought in.

``ingest_summary`` has one row per source (a dataset's file, ingested into a
case or none): its records, statements, entities, rejects, grading, when and
by whom, written by the ingest service in the transaction of the ingest's
audit record. The start page counts what the store holds per dataset from
these rows (a few hundred at most), never from the statement table.

Ingests made before this revision have no row: the overview shows a source
from its next ingest (the same file again rewrites its statements as they
are, and resumes nothing).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "ingest_summary",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("source_key", sa.String(64), nullable=False),
        sa.Column("dataset", sa.String(ID), nullable=False),
        sa.Column("case_id", sa.String(ID), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("grading", sa.String(2), nullable=True),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("statements", sa.Integer, nullable=False),
        sa.Column("entities", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("dropped_values", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
        sa.Column("ingested_by", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ingest_summary"),
        sa.UniqueConstraint("source_key", name="uq_ingest_summary_source_key"),
    )
    op.create_index("ix_ingest_summary_ingested_at", "ingest_summary", ["ingested_at"])


def downgrade() -> None:
    op.drop_index("ix_ingest_summary_ingested_at", table_name="ingest_summary")
    op.drop_table("ingest_summary")
