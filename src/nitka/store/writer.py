"""Writing statements: idempotent upserts that never lose what is stored.

Data functions here take a connection and never commit: the caller (an ingest
batch, a CLI command, a request) owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Dialect

from nitka.model.statement import PoliceStatement
from nitka.store.db import named_dialect, upsert
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


def statement_row(stmt: PoliceStatement, canonical: Mapping[str, str]) -> dict[str, Any]:
    return {
        "id": stmt.id,
        "entity_id": stmt.entity_id,
        "canonical_id": canonical.get(stmt.entity_id, stmt.entity_id),
        "schema": stmt.schema,
        "prop": stmt.prop,
        "prop_type": stmt.prop_type,
        "value": stmt.value,
        "original_value": stmt.original_value,
        "lang": stmt.lang,
        "dataset": stmt.dataset,
        "origin": stmt.origin,
        "first_seen": stmt.first_seen,
        "last_seen": stmt.last_seen,
        "reliability": stmt.reliability.value,
        "credibility": stmt.credibility.value,
        "category": stmt.category.value,
        "handling": stmt.handling.value,
        "handling_note": stmt.handling_note,
        "case_id": stmt.case,
        "assessment": stmt.assessment,
        "author": stmt.author,
    }


def write_statements(
    conn: Connection, statements: Iterable[PoliceStatement], canonical: dict[str, str]
) -> set[str]:
    """Upsert statements; returns the canonical ids of the entities touched.

    A statement seen again keeps the earliest first_seen and the latest
    last_seen of both observations. A statement that arrives already resolved
    (from an export of a store with merges) brings its cluster with it: the
    entity is recorded as a member of that canonical id, and ``canonical`` is
    updated in place.
    """
    rows: dict[str, dict[str, Any]] = {}
    resolved: dict[str, str] = {}
    for stmt in statements:
        if (
            stmt.canonical_id
            and stmt.canonical_id != stmt.entity_id
            and stmt.entity_id not in canonical
        ):
            resolved[stmt.entity_id] = canonical[stmt.entity_id] = stmt.canonical_id
        row = statement_row(stmt, canonical)
        seen = rows.get(stmt.id)
        if seen is not None:
            row["first_seen"] = _earliest(seen["first_seen"], row["first_seen"])
            row["last_seen"] = _latest(seen["last_seen"], row["last_seen"])
        rows[stmt.id] = row
    if not rows:
        return set()
    if resolved:
        conn.execute(
            upsert(conn, resolved_entity, ["entity_id"], []),
            [{"entity_id": e, "canonical_id": c} for e, c in resolved.items()],
        )
    conn.exec_driver_sql(_compiled_upsert(conn.dialect.name), list(rows.values()))
    return {row["canonical_id"] for row in rows.values()}


@cache
def _compiled_upsert(dialect_name: str) -> str:
    """The statement upsert as SQL with named parameters, compiled once per dialect.

    Ingest writes millions of rows; handing the driver a ready SQL string and
    the row dicts skips SQLAlchemy's per-row parameter processing, which
    otherwise costs more than SQLite's own work.
    """
    dialect = named_dialect(dialect_name)
    insert = sqlite_insert(statement) if dialect_name == "sqlite" else pg_insert(statement)
    excluded = insert.excluded
    early = _seen_expr(dialect, statement.c.first_seen, excluded.first_seen, early=True)
    late = _seen_expr(dialect, statement.c.last_seen, excluded.last_seen, early=False)
    insert = insert.on_conflict_do_update(
        index_elements=["id"],
        set_={
            **{name: excluded[name] for name in _UPDATED},
            "first_seen": early,
            "last_seen": late,
        },
    )
    return str(insert.compile(dialect=dialect, column_keys=[c.name for c in statement.c]))


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
