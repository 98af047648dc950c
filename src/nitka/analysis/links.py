"""Links between entities as the store holds them: values that name another entity
or a phone number, read from either end.

A Passport names its holder, a Payment its payer's account, a Call its
caller's number: the link is a statement of the entity that names the other.
Reading it from the named end (what refers to this person?) goes through the
partial index ``ix_statement_link_value`` (migration 0011). Every query here
repeats that index's condition word for word, so that SQLite uses it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from nitka.store.tables import resolved_entity, statement

LINKED = text("statement.prop_type IN ('entity', 'phone')")
"""The partial index's condition, as the migration wrote it."""
CHUNK = 500


@dataclass(frozen=True)
class Reference:
    """A statement of ``referrer`` whose ``prop`` names ``value``."""

    referrer: str
    """The canonical id of the entity that holds the statement."""
    schema: str
    prop: str
    prop_type: str
    value: str


def references_to(conn: Connection, values: Collection[str]) -> list[Reference]:
    """Statements whose value is one of these entity ids or phone numbers."""
    found: list[Reference] = []
    ordered = sorted(values)
    for start in range(0, len(ordered), CHUNK):
        rows = conn.execute(
            select(
                statement.c.canonical_id,
                statement.c.schema,
                statement.c.prop,
                statement.c.prop_type,
                statement.c.value,
            )
            .where(LINKED)
            .where(statement.c.value.in_(ordered[start : start + CHUNK]))
        )
        found.extend(Reference(*row) for row in rows)
    return found


def members_of(conn: Connection, canonical_ids: Iterable[str]) -> dict[str, set[str]]:
    """Each canonical id with the source ids merged into it (itself included): a
    reference names a source id, which may since have been merged."""
    wanted = list(dict.fromkeys(canonical_ids))
    members: dict[str, set[str]] = {cid: {cid} for cid in wanted}
    for start in range(0, len(wanted), CHUNK):
        rows = conn.execute(
            select(resolved_entity.c.canonical_id, resolved_entity.c.entity_id).where(
                resolved_entity.c.canonical_id.in_(wanted[start : start + CHUNK])
            )
        )
        for canonical_id, entity_id in rows:
            members[canonical_id].add(entity_id)
    return members


def canonical_ids(conn: Connection, entity_ids: Iterable[str]) -> dict[str, str]:
    """Each entity id with the canonical id it resolves to (itself unless merged)."""
    wanted = list(dict.fromkeys(entity_ids))
    resolved = {entity_id: entity_id for entity_id in wanted}
    for start in range(0, len(wanted), CHUNK):
        rows = conn.execute(
            select(resolved_entity.c.entity_id, resolved_entity.c.canonical_id).where(
                resolved_entity.c.entity_id.in_(wanted[start : start + CHUNK])
            )
        )
        for entity_id, canonical_id in rows:
            resolved[entity_id] = canonical_id
    return resolved
