"""Putting a page's statements into a copy: whole entities, replaced, never mixed.

An entity a page names is dropped from the copy (its statements and its
search rows) and written again from the page's rows: no row of the copy
outlives its entity's erasure, withdrawal or merge on the server, and no
statement of one source is overwritten by another's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

from nitka.model.statement import ENTITY_PROP
from nitka.offline.wire import COLUMNS, OfflineError
from nitka.search.index import index_rows, insert_rows, is_indexed
from nitka.store.db import in_marks
from nitka.store.writer import group_rows, write_rows

_INDEXED = tuple(
    COLUMNS.index(name)
    for name in ("canonical_id", "schema", "prop", "prop_type", "value", "dataset", "case_id")
)
_PROP, _PROP_TYPE = COLUMNS.index("prop"), COLUMNS.index("prop_type")
_ASSESSMENT = COLUMNS.index("assessment")
_CHUNK = 500


def replace(conn: Connection, ids: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Drop these entities from the copy and write them again from ``rows`` (none:
    the entity is gone for the copy's account)."""
    for start in range(0, len(ids), _CHUNK):
        chunk = tuple(ids[start : start + _CHUNK])
        marks = in_marks(conn, len(chunk))
        conn.exec_driver_sql(f"DELETE FROM search_name WHERE canonical_id IN ({marks})", chunk)
        conn.exec_driver_sql(f"DELETE FROM statement WHERE canonical_id IN ({marks})", chunk)
    add(conn, rows)


def add(conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Write statement rows of entities the copy does not hold, with their search rows."""
    if not rows:
        return
    for row in rows:
        if len(row) != len(COLUMNS):
            raise OfflineError(
                f"a statement row of {len(row)} values, not {len(COLUMNS)}", field="rows"
            )
    # Through the ingest's writer: rows grouped by their empty columns, which the
    # SQLite driver binds slowly; the assessment flag as the int it binds directly.
    write_rows(conn, group_rows(tuple(_assessed(row)) for row in rows), {})
    indexed = (
        tuple(row[i] for i in _INDEXED)
        for row in rows
        if row[_PROP] == ENTITY_PROP or is_indexed(row[_PROP], row[_PROP_TYPE])
    )
    insert_rows(conn, index_rows(indexed))


def _assessed(row: Sequence[Any]) -> list[Any]:
    values = list(row)
    values[_ASSESSMENT] = 1 if values[_ASSESSMENT] else 0
    return values
