"""Keeping the name search index in step with the statements.

The index holds one row per name or identifier value of an entity, keyed by
the entity's canonical id, with the value's cross-script search keys and the
entity's facet tokens. It is rebuilt per entity, inside the same transaction
as the statements that changed it, so the index never disagrees with the store.

An ingest batch mostly brings entities the store has not seen: their rows are
built from the batch in memory (``index_rows``). Entities that already had
statements are rebuilt from the store (``reindex``), so that their facets and
names from earlier sources are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

from followthemoney import model
from followthemoney.schema import Schema
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from nitka.model.statement import ENTITY_PROP
from nitka.normalise.keys import lookup_key
from nitka.normalise.names import name_keys, skeleton_keys
from nitka.search.facets import Facet, facet_token
from nitka.store.db import in_marks, is_sqlite
from nitka.store.tables import search_name, statement

NAME_TYPES = frozenset({"name"})
"""Property types whose values are names, searched across scripts."""
IDENTIFIER_TYPES = frozenset({"identifier", "phone", "email", "iban"})
"""Property types whose values are identifiers, searched as exact tokens."""
MENTIONS = frozenset({"namesMentioned"})
"""Name properties that mention other entities (a sanction's target, say): not
the entity's own names, so not indexed as such."""
_INDEXED = NAME_TYPES | IDENTIFIER_TYPES | {"country"}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_CHUNK = 500

#: (canonical id, schema, prop, prop type, value, dataset, case)
IndexedValue = tuple[str, str, str, str, str, str, str | None]
#: A ``search_name`` row: (canonical id, schema, name, keys, skel, facets, lookup key)
IndexRow = tuple[str, str, str, str, str, str, str | None]


def identifier_key(value: str) -> str:
    """Identifiers compare without spaces, dashes or case: ``AB 12-34`` -> ``ab1234``."""
    return _NOT_ALNUM.sub("", value.lower())


@lru_cache(maxsize=500_000)
def _name_columns(name: str) -> tuple[str, str]:
    """The ``keys`` and ``skel`` columns of a name (names repeat across sources)."""
    return " ".join(sorted(name_keys(name))), " ".join(sorted(skeleton_keys(name)))


class _Entry:
    """What the index needs of one entity (a plain class: made once per entity)."""

    __slots__ = ("facets", "identifiers", "names", "schema")

    def __init__(self) -> None:
        self.schema = "Thing"
        self.names: set[str] = set()
        self.identifiers: dict[str, set[str]] = {}
        """Identifier value -> the properties that carry it."""
        self.facets: set[str] = set()


def reindex(conn: Connection, canonical_ids: Iterable[str]) -> None:
    """Rebuild the index rows of these entities from their statements in the store."""
    ids = sorted(set(canonical_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        conn.execute(delete(search_name).where(search_name.c.canonical_id.in_(chunk)))
        rows = conn.execute(
            select(
                statement.c.canonical_id,
                statement.c.schema,
                statement.c.prop,
                statement.c.prop_type,
                statement.c.value,
                statement.c.dataset,
                statement.c.case_id,
            ).where(
                statement.c.canonical_id.in_(chunk),
                statement.c.prop_type.in_(_INDEXED) | (statement.c.prop == ENTITY_PROP),
            )
        )
        insert_rows(conn, index_rows(tuple(row) for row in rows))


def index_rows(values: Iterable[IndexedValue]) -> list[IndexRow]:
    """The index rows of the entities these values belong to, built in memory.

    Pure: no database. An ingest builds them for the entities of a batch
    (in a parser process when it runs one) and the writer keeps the rows of
    entities the store did not know before (see ``existing``).
    """
    entries: dict[str, _Entry] = {}
    for cid, schema, prop, prop_type, value, dataset, case_id in values:
        entry = entries.get(cid)
        if entry is None:
            entry = entries[cid] = _Entry()
        entry.facets.add(facet_token(Facet.DATASET, dataset))
        if case_id:
            entry.facets.add(facet_token(Facet.CASE, case_id))
        if prop == ENTITY_PROP:
            entry.schema = schema
        elif prop_type in NAME_TYPES and prop not in MENTIONS:
            entry.names.add(value)
        elif prop_type in IDENTIFIER_TYPES:
            entry.identifiers.setdefault(value, set()).add(prop)
        elif prop_type == "country":
            entry.facets.add(facet_token(Facet.COUNTRY, value))
    rows: list[IndexRow] = []
    for cid, entry in entries.items():
        entry.facets.add(facet_token(Facet.SCHEMA, entry.schema))
        facets = " ".join(sorted(entry.facets))
        for name in sorted(entry.names):
            keys, skel = _name_columns(name)
            if keys:
                rows.append((cid, entry.schema, name, keys, skel, facets, None))
        model_schema = model.get(entry.schema)
        for ident, props in sorted(entry.identifiers.items()):
            key = identifier_key(ident)
            lookup = _lookup_key(model_schema, props, ident) if model_schema else None
            if key or lookup:
                rows.append((cid, entry.schema, ident, key, "", facets, lookup))
    return rows


def _lookup_key(schema: Schema, props: Iterable[str], value: str) -> str | None:
    for prop in sorted(props):
        key = lookup_key(schema, prop, value)
        if key is not None:
            return key
    return None


def is_indexed(prop: str, prop_type: str) -> bool:
    """Whether values of this property go into the search index."""
    return prop == ENTITY_PROP or prop_type in _INDEXED


def existing(conn: Connection, canonical_ids: Iterable[str]) -> set[str]:
    """Which of these canonical ids already have statements in the store."""
    ids = sorted(set(canonical_ids))
    if not ids:
        return set()
    if not is_sqlite(conn):
        # One array parameter: one round trip, and nothing to compile per chunk.
        rows = conn.exec_driver_sql(
            "SELECT DISTINCT canonical_id FROM statement WHERE canonical_id = ANY(%s)", (ids,)
        )
        return {row[0] for row in rows}
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = conn.exec_driver_sql(
            "SELECT DISTINCT canonical_id FROM statement "
            f"WHERE canonical_id IN ({in_marks(conn, len(chunk))})",
            tuple(chunk),
        )
        found.update(row[0] for row in rows)
    return found


def insert_rows(conn: Connection, rows: Sequence[Sequence[Any]], *, fts: bool = True) -> None:
    """Insert index rows; in SQLite also into the FTS5 table, in one statement.

    The FTS5 rows are copied from ``search_name`` with one INSERT ... SELECT
    rather than by a per-row trigger, which costs about three times as much.
    ``fts=False`` leaves that to the caller (a bulk load fills it once at its end).
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, rows)
        return
    before = (
        conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM search_name").scalar_one()
        if fts
        else 0
    )
    # Names have no lookup key: their rows say NULL in the SQL rather than
    # binding a None, which the SQLite driver does slowly (see ``group_rows``).
    names = [row[:6] for row in rows if row[6] is None]
    if names:
        conn.exec_driver_sql(_compiled_insert("sqlite", with_lookup_key=False), names)
    if len(names) < len(rows):
        keyed = [row for row in rows if row[6] is not None]
        conn.exec_driver_sql(_compiled_insert("sqlite"), keyed)
    if fts:
        conn.exec_driver_sql(
            "INSERT INTO search_fts(rowid, keys, skel, facets) "
            "SELECT rowid, keys, skel, facets FROM search_name WHERE rowid > ?",
            (before,),
        )


_COLUMNS = ("canonical_id", "schema", "name", "keys", "skel", "facets", "lookup_key")


def _copy_rows(conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """PostgreSQL: a binary COPY, far cheaper for the server than row INSERTs."""
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        sql = f"COPY search_name ({', '.join(_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
        with cursor.copy(sql) as copy:
            copy.set_types(["text"] * len(_COLUMNS))
            for row in rows:
                copy.write_row(row)


@cache
def _compiled_insert(dialect_name: str, *, with_lookup_key: bool = True) -> str:
    """The index insert as SQL with positional parameters, for ``exec_driver_sql``."""
    mark = "?" if dialect_name == "sqlite" else "%s"
    columns = _COLUMNS if with_lookup_key else _COLUMNS[:-1]
    values = ", ".join(mark for _ in columns)
    return f"INSERT INTO search_name ({', '.join(columns)}) VALUES ({values})"
