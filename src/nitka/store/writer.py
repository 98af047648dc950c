"""Writing statements: idempotent upserts that never lose what is stored.

Data functions here take a connection and never commit: the caller (an ingest
batch, a CLI command, a request) owns the transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from itertools import compress
from operator import is_, itemgetter
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Dialect

from nitka.model.statement import PoliceStatement
from nitka.store.db import positional_dialect, upsert
from nitka.store.tables import resolved_entity, statement

#: Columns a re-ingest may change: the newest grading and handling win.
_UPDATED = (
    "canonical_id",
    "original_value",
    "origin",
    "reliability",
    "credibility",
    "category",
    "handling",
    "handling_note",
    "author",
)


def load_canonical_map(conn: Connection) -> dict[str, str]:
    """Entity id -> canonical id for every entity that is part of a merge."""
    rows = conn.execute(select(resolved_entity.c.entity_id, resolved_entity.c.canonical_id))
    return {key: value for key, value in rows}  # noqa: C416 (Row, not tuple)


#: A statement row: the values of the ``statement`` table's columns, in order.
StatementRow = tuple[Any, ...]

_COLUMNS = tuple(c.name for c in statement.c)
_NULLABLE = tuple(i for i, c in enumerate(statement.c) if c.nullable)
"""Positions of the columns that may be NULL; every one comes after the
first seven, so a row keeps its id, canonical id and schema in place
(``held_entities`` reads them) whatever it leaves out."""
assert min(_NULLABLE) > 6, "the leading columns of a statement row must never be NULL"

_nullable_values = itemgetter(*_NULLABLE)
_NONES = (None,) * len(_NULLABLE)

#: Rows that leave out the same NULL columns: the positions of the columns
#: they carry (in table order), and the rows as tuples of just those values.
RowGroup = tuple[tuple[int, ...], list[StatementRow]]


def group_rows(rows: Iterable[StatementRow]) -> list[RowGroup]:
    """Statement rows grouped by which of their columns are NULL, without them.

    The SQLite driver binds a ``None`` through its adapter lookup, several
    times slower than a string (8 of a statement's 21 columns are mostly
    empty: a third of the cost of writing a row). A group's rows are written
    with ``NULL`` in its SQL instead, and cross from a parser process smaller.
    A batch has a handful of groups.
    """
    groups: dict[tuple[bool, ...], tuple[RowGroup, tuple[bool, ...]]] = {}
    for row in rows:
        shape = tuple(map(is_, _nullable_values(row), _NONES))
        known = groups.get(shape)
        if known is None:
            absent = {i for i, empty in zip(_NULLABLE, shape, strict=True) if empty}
            keep = tuple(i not in absent for i in range(len(_COLUMNS)))
            present = tuple(i for i, kept in enumerate(keep) if kept)
            known = groups[shape] = ((present, []), keep)
        (_present, kept_rows), keep = known
        kept_rows.append(tuple(compress(row, keep)))
    return [group for group, _keep in groups.values()]


def grouped_rows(groups: Iterable[RowGroup]) -> Iterator[StatementRow]:
    """The rows of groups as they are (the first seven columns in place)."""
    for _present, rows in groups:
        yield from rows


def statement_values(stmt: PoliceStatement, canonical_id: str) -> StatementRow:
    """The row of one statement, in the order of the table's columns."""
    return (
        stmt.id,
        stmt.entity_id,
        canonical_id,
        stmt.schema,
        stmt.prop,
        stmt.prop_type,
        stmt.value,
        stmt.original_value,
        stmt.lang,
        stmt.dataset,
        stmt.origin,
        stmt.first_seen,
        stmt.last_seen,
        # ``_value_`` is the plain attribute behind an enum's ``value``
        # property, which costs ten times more on this hot path.
        stmt.reliability._value_,
        stmt.credibility._value_,
        stmt.category._value_,
        stmt.handling._value_,
        stmt.handling_note,
        stmt.case,
        # An int, which the SQLite driver binds directly (a bool it adapts).
        1 if stmt.assessment else 0,
        stmt.author,
    )


_ID, _CANONICAL, _FIRST_SEEN, _LAST_SEEN = 0, 2, 11, 12


def resolve_canonical(stmt: PoliceStatement, canonical: dict[str, str]) -> str:
    """The canonical id a statement is stored under.

    A statement that arrives already resolved (from an export of a store with
    merges) brings its cluster with it: ``canonical`` learns the entity's
    canonical id, in place, and the caller records the membership.
    """
    known = canonical.get(stmt.entity_id)
    if known is not None:
        return known
    if stmt.canonical_id and stmt.canonical_id != stmt.entity_id:
        canonical[stmt.entity_id] = stmt.canonical_id
        return stmt.canonical_id
    return stmt.entity_id


def merge_duplicates(rows: Iterable[StatementRow]) -> list[StatementRow]:
    """One row per statement id; a statement seen twice keeps the widest seen span."""
    merged: dict[str, StatementRow] = {}
    for row in rows:
        seen = merged.get(row[_ID])
        if seen is not None:
            widened = list(row)
            widened[_FIRST_SEEN] = _earliest(seen[_FIRST_SEEN], row[_FIRST_SEEN])
            widened[_LAST_SEEN] = _latest(seen[_LAST_SEEN], row[_LAST_SEEN])
            row = tuple(widened)
        merged[row[_ID]] = row
    return list(merged.values())


def write_rows(
    conn: Connection,
    groups: Sequence[RowGroup],
    resolved: Mapping[str, str],
    *,
    known: Collection[str] | None = None,
) -> None:
    """Upsert statement rows (unique ids, ``group_rows``) and record the cluster members they bring.

    A statement seen again keeps the earliest first_seen and the latest
    last_seen of both observations; grading and handling take the new values.
    ``known`` names the canonical ids the caller found in the store, if it
    looked: rows of other entities cannot be there yet, and PostgreSQL
    copies them straight into the table (upserting them after all if one is
    there, written meanwhile by someone else).
    """
    if resolved:
        conn.execute(
            upsert(conn, resolved_entity, ["entity_id"], []),
            [{"entity_id": e, "canonical_id": c} for e, c in resolved.items()],
        )
    if not any(rows for _present, rows in groups):
        return
    if conn.dialect.name == "postgresql":
        if known is None:
            _copy_upsert(conn, groups)
            return
        held, new = split_groups(groups, known)
        if not _copy_new(conn, new):
            held = [*held, *new]
        _copy_upsert(conn, held)
        return
    for present, rows in groups:
        if rows:
            conn.exec_driver_sql(_upsert_with(conn.dialect.name, present), rows)


_STAGE = "statement_stage"
_COPY_TYPES = tuple("bool" if c.name == "assessment" else "text" for c in statement.c)


def split_groups(
    groups: Sequence[RowGroup], known: Collection[str]
) -> tuple[list[RowGroup], list[RowGroup]]:
    """The groups' rows of ``known`` canonical ids, and the others."""
    if not known:
        return [], list(groups)
    held: list[RowGroup] = []
    new: list[RowGroup] = []
    for present, rows in groups:
        held_rows = [row for row in rows if row[_CANONICAL] in known]
        if held_rows:
            held.append((present, held_rows))
        if len(held_rows) < len(rows):
            new.append((present, [row for row in rows if row[_CANONICAL] not in known]))
    return held, new


_UNIQUE_VIOLATION = "23505"


def _copy_new(conn: Connection, groups: Sequence[RowGroup]) -> bool:
    """PostgreSQL: COPY rows of entities new to the store straight into ``statement``.

    Skips the staging table and the upsert's conflict handling. Returns
    False, with nothing written, if a row's id is in the table after all
    (another writer's meanwhile).
    """
    if not groups:
        return True
    driver = conn.connection.driver_connection
    assert driver is not None
    savepoint = conn.begin_nested()
    try:
        with driver.cursor() as cursor:
            for present, rows in groups:
                _copy_into(cursor, "statement", present, rows)
    except Exception as error:
        if getattr(error, "sqlstate", None) != _UNIQUE_VIOLATION:
            raise
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def _copy_into(cursor: Any, table: str, present: tuple[int, ...], rows: list[StatementRow]) -> None:
    """Binary COPY of rows that carry the ``present`` columns (the others are NULL)."""
    columns = ", ".join(_COLUMNS[i] for i in present)
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([_COPY_TYPES[i] for i in present])
        for row in rows:
            copy.write_row(row)


def _copy_upsert(conn: Connection, groups: Sequence[RowGroup]) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then upsert them in one statement.

    A binary COPY costs the server a fraction of row-by-row INSERTs; the one
    ``INSERT ... SELECT ... ON CONFLICT`` then applies the same rules as the
    row upsert. The staging table lives as long as the connection and is
    emptied at every commit.
    """
    if not any(rows for _present, rows in groups):
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} "
            "(LIKE statement INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        for present, rows in groups:
            _copy_into(cursor, _STAGE, present, rows)
        cursor.execute(_compiled_stage_upsert())
        cursor.execute(f"TRUNCATE {_STAGE}")


def write_statements(
    conn: Connection, statements: Iterable[PoliceStatement], canonical: dict[str, str]
) -> set[str]:
    """Upsert statements; returns the canonical ids of the entities touched."""
    resolved: dict[str, str] = {}
    rows = []
    for stmt in statements:
        before = stmt.entity_id in canonical
        canonical_id = resolve_canonical(stmt, canonical)
        if not before and stmt.entity_id in canonical:
            resolved[stmt.entity_id] = canonical_id
        rows.append(statement_values(stmt, canonical_id))
    unique = merge_duplicates(rows)
    write_rows(conn, group_rows(unique), resolved)
    return {row[_CANONICAL] for row in unique}


@cache
def _compiled_upsert(dialect_name: str) -> str:
    """The statement upsert as SQL with positional parameters, compiled once per dialect.

    Ingest writes millions of rows; handing the driver a ready SQL string and
    row tuples skips SQLAlchemy's per-row parameter processing, which
    otherwise costs more than SQLite's own work.
    """
    dialect = positional_dialect(dialect_name)
    insert = sqlite_insert(statement) if dialect_name == "sqlite" else pg_insert(statement)
    insert = insert.on_conflict_do_update(index_elements=["id"], set_=_on_conflict(dialect, insert))
    columns = list(_COLUMNS)
    compiled = insert.compile(dialect=dialect, column_keys=columns)
    if list(compiled.positiontup or []) != columns:
        raise AssertionError("statement upsert parameters are not in column order")
    return str(compiled)


def write_shared_rows(
    conn: Connection,
    present: tuple[int, ...],
    shared: tuple[tuple[int, str | int], ...],
    rows: Sequence[StatementRow],
) -> None:
    """Upsert rows that carry the ``present`` columns, all with the same values of
    the ``shared`` columns (column position, value): those are written once, as
    literals in the SQL, rather than bound for every row; the others are NULL.
    SQLite's alone (an offline copy is a SQLite file): PostgreSQL's writes go by COPY."""
    if conn.dialect.name != "sqlite":
        raise ValueError("rows with shared values are written to SQLite only (an offline copy)")
    if rows:
        literals = tuple((i, _literal(value)) for i, value in shared)
        conn.exec_driver_sql(_upsert_with(conn.dialect.name, present, literals), rows)


def _literal(value: str | int) -> str:
    """A value as an SQL literal: an int, or a string quoted (SQLite and PostgreSQL
    with standard strings take a doubled quote, and no other escape)."""
    if type(value) is int:
        return str(value)
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError(f"no literal for {value!r}")
    return "'" + value.replace("'", "''") + "'"


@lru_cache(maxsize=256)
def _upsert_with(
    dialect_name: str, present: tuple[int, ...], literals: tuple[tuple[int, str], ...] = ()
) -> str:
    """The statement upsert for rows that carry only the ``present`` columns:
    ``NULL`` written in the SQL for the others, or the given literal."""
    mark = "?" if dialect_name == "sqlite" else "%s"
    sql = _compiled_upsert(dialect_name)
    every = f"VALUES ({', '.join([mark] * len(_COLUMNS))})"
    if sql.count(every) != 1:
        raise AssertionError("the statement upsert has no single VALUES list")
    fixed = dict(literals)
    marks = ", ".join(
        fixed.get(i) or (mark if i in present else "NULL") for i in range(len(_COLUMNS))
    )
    return sql.replace(every, f"VALUES ({marks})")


@cache
def _compiled_stage_upsert() -> str:
    """PostgreSQL's upsert of the staged rows, the same rules as ``_compiled_upsert``."""
    dialect = positional_dialect("postgresql")
    stage = Table(_STAGE, MetaData(), *(c._copy() for c in statement.c))
    insert = pg_insert(statement).from_select([c.name for c in statement.c], select(stage))
    insert = insert.on_conflict_do_update(index_elements=["id"], set_=_on_conflict(dialect, insert))
    return str(insert.compile(dialect=dialect))


def _on_conflict(dialect: Dialect, insert: Any) -> dict[str, Any]:
    """What a statement seen again updates: grading and handling, and the seen span."""
    excluded = insert.excluded
    return {
        **{name: excluded[name] for name in _UPDATED},
        "first_seen": _seen_expr(dialect, statement.c.first_seen, excluded.first_seen, early=True),
        "last_seen": _seen_expr(dialect, statement.c.last_seen, excluded.last_seen, early=False),
    }


def _seen_expr(
    dialect: Dialect, old: ColumnElement[Any], new: ColumnElement[Any], *, early: bool
) -> ColumnElement[Any]:
    """min/max of two ISO timestamps where either may be NULL."""
    if dialect.name == "sqlite":
        pick = func.min if early else func.max
        return pick(func.coalesce(old, new), func.coalesce(new, old))
    return func.least(old, new) if early else func.greatest(old, new)


def _earliest(a: str | None, b: str | None) -> str | None:
    return min(x for x in (a, b) if x) if (a or b) else None


def _latest(a: str | None, b: str | None) -> str | None:
    return max(x for x in (a, b) if x) if (a or b) else None
