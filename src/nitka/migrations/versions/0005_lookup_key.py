"""Exact lookup keys of documents and vehicles beside the search index.

A check of a passport or a car looks its number up by exact key; with tens
of millions of stolen documents on a list, the store finds them by index
rather than a screening process holding them all in memory. Rows of
documents and vehicles already stored are rebuilt to get their key.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from followthemoney import model

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("search_name", sa.Column("lookup_key", sa.Text, nullable=True))
    op.create_index(
        "ix_search_name_lookup_key",
        "search_name",
        ["lookup_key"],
        sqlite_where=sa.text("lookup_key IS NOT NULL"),
        postgresql_where=sa.text("lookup_key IS NOT NULL"),
    )
    _rebuild_documents_and_vehicles()


def _rebuild_documents_and_vehicles() -> None:
    from nitka.search.index import reindex

    keyed = sorted(
        schema.name
        for schema in model.schemata.values()
        if schema.is_a("Identification") or schema.is_a("Vehicle")
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT DISTINCT canonical_id FROM statement WHERE schema IN :names").bindparams(
            sa.bindparam("names", expanding=True)
        ),
        {"names": keyed},
    )
    reindex(conn, [row[0] for row in rows])


def downgrade() -> None:
    op.drop_index("ix_search_name_lookup_key", table_name="search_name")
    op.drop_column("search_name", "lookup_key")
