"""Statements on a page in the shape the copy writes them.

The server has CPU to spare while a laptop writes, so it does the work the
copy would otherwise do per row: it groups the statement rows by the columns
they leave empty (``nitka.store.writer.group_rows``: the SQLite driver binds
a ``None`` slowly, so a group's SQL says ``NULL`` instead) and builds the
entities' search rows (``nitka.search.index.index_rows``, from the rows the
account may see, so the facets name only the cases and lists it may see).
The copy checks the shape (the page is signed, but a bad page still fails
with a clear error rather than half-written) and hands the groups and search
rows to the database as they come.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nitka.model.statement import ENTITY_PROP
from nitka.offline.wire import COLUMNS, OfflineError
from nitka.search.index import index_rows, is_indexed
from nitka.store.tables import statement
from nitka.store.writer import RowGroup, group_rows

_INDEXED = tuple(
    COLUMNS.index(name)
    for name in ("canonical_id", "schema", "prop", "prop_type", "value", "dataset", "case_id")
)
_PROP, _PROP_TYPE = COLUMNS.index("prop"), COLUMNS.index("prop_type")
_ASSESSMENT = COLUMNS.index("assessment")
_CANONICAL = COLUMNS.index("canonical_id")
_REQUIRED = frozenset(i for i, column in enumerate(statement.c) if not column.nullable)
_SEARCH_WIDTH = 7


@dataclass(frozen=True)
class Shaped:
    """A page's statements as the copy writes them."""

    groups: list[RowGroup]
    search: list[Any]
    entities: int
    statements: int


def shaped(rows: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """The server's side: ``rows`` (statement rows in column order) as a page carries
    them: ``groups`` of rows without their empty columns, and ``search`` rows."""
    groups = group_rows(_assessed(row) for row in rows)
    indexed = (
        tuple(row[i] for i in _INDEXED)
        for row in rows
        if is_indexed(row[_PROP], row[_PROP_TYPE]) or row[_PROP] == ENTITY_PROP
    )
    return {"groups": [[list(p), r] for p, r in groups], "search": index_rows(indexed)}


def read(page: dict[str, Any]) -> Shaped:
    """The copy's side: the page's groups and search rows, their shape checked."""
    groups: list[RowGroup] = []
    entities: set[str] = set()
    statements = 0
    for item in _list(page.get("groups"), "groups"):
        present, rows = _pair(item)
        if (
            not all(type(i) is int for i in present)
            or list(present) != sorted(set(present))
            or not set(present) >= _REQUIRED
            or present[-1] >= len(COLUMNS)
        ):
            raise OfflineError(f"a row group of the columns {present!r}", field="groups")
        width = len(present)
        # Tuples, as the driver takes them (through SQLAlchemy's raw execution).
        kept = [tuple(row) for row in _list(rows, "groups") if isinstance(row, list)]
        if len(kept) != len(rows) or any(len(row) != width for row in kept):
            raise OfflineError(
                f"a statement row that is not a list of {width} values", field="groups"
            )
        entities.update(row[_CANONICAL] for row in kept)
        groups.append((tuple(present), kept))
        statements += len(kept)
    search = [tuple(row) for row in _list(page.get("search"), "search") if isinstance(row, list)]
    if len(search) != len(page["search"]) or any(
        len(row) != _SEARCH_WIDTH or row[0] not in entities for row in search
    ):
        raise OfflineError("a search row that is not one of the page's entities", field="search")
    return Shaped(groups, search, len(entities), statements)


def _assessed(row: Sequence[Any]) -> tuple[Any, ...]:
    """The row with the assessment flag as the int the SQLite driver binds directly."""
    values = list(row)
    values[_ASSESSMENT] = 1 if values[_ASSESSMENT] else 0
    return tuple(values)


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise OfflineError(f"a page without its {field}", field=field)
    return value


def _pair(item: Any) -> tuple[list[Any], list[Any]]:
    if not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], list) or not item[0]:
        raise OfflineError("a row group that is not [columns, rows]", field="groups")
    return item[0], _list(item[1], "groups")
