"""The statement store, judgements, ingest progress and the name search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = 255

SQLITE_SEARCH = [
    # An external-content FTS5 table over search_name, kept in step by triggers.
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        keys, skel, facets, content='search_name', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 0', detail=column)""",
    """CREATE TRIGGER search_name_ai AFTER INSERT ON search_name BEGIN
        INSERT INTO search_fts(rowid, keys, skel, facets)
        VALUES (new.rowid, new.keys, new.skel, new.facets);
    END""",
    """CREATE TRIGGER search_name_ad AFTER DELETE ON search_name BEGIN
        INSERT INTO search_fts(search_fts, rowid, keys, skel, facets)
        VALUES ('delete', old.rowid, old.keys, old.skel, old.facets);
    END""",
    """CREATE TRIGGER search_name_au AFTER UPDATE ON search_name BEGIN
        INSERT INTO search_fts(search_fts, rowid, keys, skel, facets)
        VALUES ('delete', old.rowid, old.keys, old.skel, old.facets);
        INSERT INTO search_fts(rowid, keys, skel, facets)
        VALUES (new.rowid, new.keys, new.skel, new.facets);
    END""",
]

POSTGRES_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_name ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, keys), 'A')
        || setweight(to_tsvector('simple'::regconfig, skel), 'C')
        || setweight(to_tsvector('simple'::regconfig, facets), 'D')
    ) STORED""",
    "CREATE INDEX ix_search_name_tsv ON search_name USING gin (tsv)",
    "CREATE INDEX ix_search_name_keys_trgm ON search_name USING gin (keys gin_trgm_ops)",
]


def upgrade() -> None:
    op.create_table(
        "statement",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.Column("canonical_id", sa.String(ID), nullable=False),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("prop", sa.String(64), nullable=False),
        sa.Column("prop_type", sa.String(32), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("original_value", sa.Text, nullable=True),
        sa.Column("lang", sa.String(16), nullable=True),
        sa.Column("dataset", sa.String(ID), nullable=False),
        sa.Column("origin", sa.Text, nullable=True),
        sa.Column("first_seen", sa.String(32), nullable=True),
        sa.Column("last_seen", sa.String(32), nullable=True),
        sa.Column("reliability", sa.String(1), nullable=False),
        sa.Column("credibility", sa.String(1), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("handling", sa.String(2), nullable=False),
        sa.Column("handling_note", sa.Text, nullable=True),
        sa.Column("case_id", sa.String(ID), nullable=True),
        sa.Column("assessment", sa.Boolean, nullable=False),
        sa.Column("author", sa.String(ID), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_statement"),
    )
    op.create_index("ix_statement_canonical_id", "statement", ["canonical_id"])

    op.create_table(
        "resolved_entity",
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.Column("canonical_id", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", name="pk_resolved_entity"),
    )
    op.create_index("ix_resolved_entity_canonical_id", "resolved_entity", ["canonical_id"])

    op.create_table(
        "judgement",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("left_id", sa.String(ID), nullable=False),
        sa.Column("right_id", sa.String(ID), nullable=False),
        sa.Column("undoes", sa.Integer, nullable=True),
        sa.Column("user", sa.String(ID), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_judgement"),
    )

    op.create_table(
        "search_name",
        sa.Column("rowid", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("canonical_id", sa.String(ID), nullable=False),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("keys", sa.Text, nullable=False),
        sa.Column("skel", sa.Text, nullable=False),
        sa.Column("facets", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("rowid", name="pk_search_name"),
    )
    op.create_index("ix_search_name_canonical_id", "search_name", ["canonical_id"])

    op.create_table(
        "ingest_run",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("dataset", sa.String(ID), nullable=False),
        sa.Column("records_done", sa.Integer, nullable=False),
        sa.Column("finished", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_ingest_run"),
    )

    dialect = op.get_bind().dialect.name
    for sql in SQLITE_SEARCH if dialect == "sqlite" else POSTGRES_SEARCH:
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("search_name_au", "search_name_ad", "search_name_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    for table in ("ingest_run", "search_name", "judgement", "resolved_entity", "statement"):
        op.drop_table(table)
