"""Putting a page's statements into a copy: whole entities, replaced, never mixed.

An entity a page names is dropped from the copy (its statements and its
search rows) and written again from the page's rows: no row of the copy
outlives its entity's erasure, withdrawal or merge on the server, and no
statement of one source is overwritten by another's.

A pull writes a new file that nothing reads until it is complete, so it
loads it as a bulk load (``bulk_load``): the secondary indexes of the
statement and search tables and the full-text table are built once at the
end rather than row by row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy.engine import Connection

from nitka.offline.shape import Shaped
from nitka.search.index import insert_rows
from nitka.store.db import in_marks
from nitka.store.writer import write_shared_rows

_CHUNK = 500
_BULK_TABLES = ("statement", "search_name")


def replace(conn: Connection, ids: Sequence[str], page: Shaped) -> None:
    """Drop these entities from the copy and write them again from the page (no
    rows: the entity is gone for the copy's account)."""
    for start in range(0, len(ids), _CHUNK):
        chunk = tuple(ids[start : start + _CHUNK])
        marks = in_marks(conn, len(chunk))
        conn.exec_driver_sql(f"DELETE FROM search_name WHERE canonical_id IN ({marks})", chunk)
        conn.exec_driver_sql(f"DELETE FROM statement WHERE canonical_id IN ({marks})", chunk)
    add(conn, page)


def add(conn: Connection, page: Shaped, *, fts: bool = True) -> None:
    """Write the statements of entities the copy does not hold, with their search
    rows (into the full-text table too unless ``fts`` is False: ``bulk_load``)."""
    for present, shared, rows in page.groups:
        write_shared_rows(conn, present, shared, rows)
    insert_rows(conn, page.search, fts=fts)


@contextmanager
def bulk_load(conn: Connection) -> Iterator[None]:
    """SQLite, a file no one reads yet: its secondary indexes dropped while the
    block writes (``add(..., fts=False)``), then made again, and the full-text
    table filled, in one pass each; committed."""
    with conn.begin():
        found = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({in_marks(conn, len(_BULK_TABLES))})",
            _BULK_TABLES,
        ).all()
        for name, _sql in found:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    with conn.begin():
        for _name, sql in found:
            conn.exec_driver_sql(sql)
        conn.exec_driver_sql(
            "INSERT INTO search_fts(rowid, keys, skel, facets) "
            "SELECT rowid, keys, skel, facets FROM search_name"
        )
