"""Statements on a page in the shape the copy writes them.

The server has CPU to spare while a laptop writes, so it does the work the
copy would otherwise do per row: it groups the statement rows by the columns
they leave empty (``nitka.store.writer.group_rows``: the SQLite driver binds
a ``None`` slowly, so a group's SQL says ``NULL`` instead), sends the values
all of a group's rows share (dataset, grading, handling, when seen) once for
the group rather than in every row (the copy writes them as literals in the
group's SQL: less JSON decoded, fewer values bound), and builds the
entities' search rows (``nitka.search.index.index_rows``, from the rows the
account may see, so the facets name only the cases and lists it may see).
The copy checks the shape (the page is signed, but a bad page still fails
with a clear error rather than half-written) and hands the groups and search
rows to the database as they come.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from nitka.model.statement import ENTITY_PROP
from nitka.offline.wire import COLUMNS, OfflineError
from nitka.search.index import index_rows, is_indexed
from nitka.store.tables import statement
from nitka.store.writer import StatementRow, group_rows

_INDEXED = tuple(
    COLUMNS.index(name)
    for name in ("canonical_id", "schema", "prop", "prop_type", "value", "dataset", "case_id")
)
_PROP, _PROP_TYPE = COLUMNS.index("prop"), COLUMNS.index("prop_type")
_ASSESSMENT = COLUMNS.index("assessment")
_CANONICAL = COLUMNS.index("canonical_id")
_REQUIRED = frozenset(i for i, column in enumerate(statement.c) if not column.nullable)
_SEARCH_WIDTH = 7
_LEADING = 7
"""The leading columns (id to value) stay in every row: never shared, never NULL."""

#: Rows of one shape: the columns each carries, the (column, value) all share, the rows.
SharedGroup = tuple[tuple[int, ...], tuple[tuple[int, str | int], ...], list[StatementRow]]


@dataclass(frozen=True)
class Shaped:
    """A page's statements as the copy writes them."""

    groups: list[SharedGroup]
    search: list[Any]
    entities: int
    statements: int


def shaped(rows: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """The server's side: ``rows`` (statement rows in column order) as a page carries
    them: ``groups`` of [columns, rows, shared values] and ``search`` rows."""
    groups = [_shared(present, kept) for present, kept in group_rows(map(_assessed, rows))]
    indexed = (
        tuple(row[i] for i in _INDEXED)
        for row in rows
        if is_indexed(row[_PROP], row[_PROP_TYPE]) or row[_PROP] == ENTITY_PROP
    )
    return {"groups": groups, "search": index_rows(indexed)}


def _shared(present: tuple[int, ...], rows: list[StatementRow]) -> list[Any]:
    """A group as it travels: the columns its rows carry, the rows without the
    values they all share, and those values (column, value)."""
    shared = [
        (column, row_values.pop())
        for j, column in enumerate(present)
        if j >= _LEADING
        and len(row_values := {row[j] for row in rows}) == 1
        and _sharable(next(iter(row_values)))
    ]
    if not shared:
        return [list(present), rows, []]
    gone = {column for column, _ in shared}
    keep = [j for j, column in enumerate(present) if column not in gone]
    pick = itemgetter(*keep)
    return [[present[j] for j in keep], [pick(row) for row in rows], [list(s) for s in shared]]


def _sharable(value: Any) -> bool:
    return type(value) is int or (isinstance(value, str) and "\x00" not in value)


def read(page: dict[str, Any]) -> Shaped:
    """The copy's side: the page's groups and search rows, their shape checked."""
    groups: list[SharedGroup] = []
    entities: set[str] = set()
    statements = 0
    for item in _list(page.get("groups"), "groups"):
        present, shared, rows = _group(item)
        width = len(present)
        # Tuples, as the driver takes them (through SQLAlchemy's raw execution).
        kept = [tuple(row) for row in rows if isinstance(row, list)]
        if len(kept) != len(rows) or any(len(row) != width for row in kept):
            raise OfflineError(
                f"a statement row that is not a list of {width} values", field="groups"
            )
        entities.update(row[_CANONICAL] for row in kept)
        groups.append((present, shared, kept))
        statements += len(kept)
    search = [tuple(row) for row in _list(page.get("search"), "search") if isinstance(row, list)]
    if len(search) != len(page["search"]) or any(
        len(row) != _SEARCH_WIDTH or row[0] not in entities for row in search
    ):
        raise OfflineError("a search row that is not one of the page's entities", field="search")
    return Shaped(groups, search, len(entities), statements)


def _group(
    item: Any,
) -> tuple[tuple[int, ...], tuple[tuple[int, str | int], ...], list[Any]]:
    """A group's columns, shared values and rows, checked: the leading columns in
    every row, every column at most once, none left NULL that may not be."""
    if not isinstance(item, list) or len(item) != 3 or not isinstance(item[0], list):
        raise OfflineError("a row group that is not [columns, rows, shared]", field="groups")
    present, rows = item[0], _list(item[1], "groups")
    pairs = _list(item[2], "groups")
    if not all(isinstance(p, list) and len(p) == 2 and _sharable(p[1]) for p in pairs):
        raise OfflineError("a row group's shared values are not [column, value]", field="groups")
    shared = tuple((p[0], p[1]) for p in pairs)
    every = [*present, *(column for column, _ in shared)]
    if (
        not all(type(i) is int and 0 <= i < len(COLUMNS) for i in every)
        or len(set(every)) != len(every)
        or present[:_LEADING] != list(range(_LEADING))
        or list(present) != sorted(present)
        or not set(every) >= _REQUIRED
    ):
        raise OfflineError(f"a row group of the columns {every!r}", field="groups")
    return tuple(present), shared, rows


def _assessed(row: Sequence[Any]) -> tuple[Any, ...]:
    """The row with the assessment flag as the int the SQLite driver binds directly."""
    values = list(row)
    values[_ASSESSMENT] = 1 if values[_ASSESSMENT] else 0
    return tuple(values)


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise OfflineError(f"a page without its {field}", field=field)
    return value
