"""Person records read from the store for linking: one per source entity.

A record is a source entity (``statement.entity_id``), not a merged cluster:
the merges analysts made are judgements between source entities
(``judged``), which linkage learns from and keeps, and a candidate pair names
the entities a reviewer decides on. Values are the statements' as stored
(dates already ISO 8601), every source's alike; who may see a candidate is
decided when it is shown (``services``), not here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.resolve.records import PERSON, PersonRecord
from nitka.store.reader import StoredEntity, common_schema, statement_from_row
from nitka.store.tables import statement

BATCH = 20_000
CHUNK = 500
"""Ids per ``IN`` list."""


def person_records(conn: Connection, datasets: Sequence[str] = ()) -> Iterator[PersonRecord]:
    """Every Person source entity with a statement in ``datasets`` (all when empty),
    with all its Person properties, in entity id order."""
    query = (
        select(statement.c.entity_id, statement.c.prop, statement.c.value)
        .where(statement.c.schema == PERSON.name)
        .order_by(statement.c.entity_id, statement.c.id)
        .execution_options(stream_results=True, yield_per=BATCH)
    )
    if datasets:
        chosen = (
            select(statement.c.entity_id)
            .where(statement.c.schema == PERSON.name, statement.c.dataset.in_(datasets))
            .distinct()
        )
        query = query.where(statement.c.entity_id.in_(chosen))
    return _grouped(conn.execute(query))


def records_of(conn: Connection, entity_ids: Iterable[str]) -> Iterator[PersonRecord]:
    """The Person source entities of these canonical ids (as the change sequence names
    them: the members of a merged entity are each a record), in entity id order."""
    ids = sorted(set(entity_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = (
            select(statement.c.entity_id, statement.c.prop, statement.c.value)
            .where(statement.c.schema == PERSON.name)
            .where(statement.c.canonical_id.in_(chunk))
            .order_by(statement.c.entity_id, statement.c.id)
        )
        yield from _grouped(conn.execute(query))


def _grouped(rows: Iterable[Any]) -> Iterator[PersonRecord]:
    """Records from ``(entity_id, prop, value)`` rows in entity id order."""
    current: str | None = None
    values: dict[str, list[str]] = {}
    row_number = 0
    for entity_id, prop, value in rows:
        if entity_id != current:
            if current is not None:
                row_number += 1
                yield PersonRecord(current, row_number, values)
            current, values = entity_id, {}
        if prop in PERSON.properties:
            found = values.setdefault(prop, [])
            if value not in found:
                found.append(value)
    if current is not None:
        yield PersonRecord(current, row_number + 1, values)


def source_entity(conn: Connection, entity_id: str) -> StoredEntity | None:
    """One source entity's own statements (not its merged cluster's): what a
    reviewer compares side by side."""
    rows = conn.execute(
        select(statement).where(statement.c.entity_id == entity_id).order_by(statement.c.id)
    ).all()
    if not rows:
        return None
    statements = [statement_from_row(row) for row in rows]
    return StoredEntity(entity_id, common_schema(statements), statements)
