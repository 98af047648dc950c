"""SQLite: the search index fills its FTS5 table in bulk, not by an insert trigger.

``nitka.search.index.insert_rows`` copies new ``search_name`` rows into
``search_fts`` with one INSERT ... SELECT per batch, about three times cheaper
than a trigger firing per row. Deletes and updates keep their triggers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS search_name_ai")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            """CREATE TRIGGER search_name_ai AFTER INSERT ON search_name BEGIN
            INSERT INTO search_fts(rowid, keys, skel, facets)
            VALUES (new.rowid, new.keys, new.skel, new.facets);
        END"""
        )
