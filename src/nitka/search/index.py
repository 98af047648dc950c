"""Keeping the name search index in step with the statements.

The index holds one row per name or identifier value of an entity, keyed by
the entity's canonical id, with the value's cross-script search keys and the
entity's facet tokens. It is rebuilt per entity, inside the same transaction
as the statements that changed it, so the index never disagrees with the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from nitka.model.statement import ENTITY_PROP
from nitka.search.facets import Facet, facet_token
from nitka.search.names import name_keys, skeleton_keys
from nitka.store.tables import search_name, statement

NAME_TYPES = frozenset({"name"})
"""Property types whose values are names, searched across scripts."""
IDENTIFIER_TYPES = frozenset({"identifier", "phone", "email", "iban"})
"""Property types whose values are identifiers, searched as exact tokens."""
_INDEXED = NAME_TYPES | IDENTIFIER_TYPES | {"country"}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_CHUNK = 500


def identifier_key(value: str) -> str:
    """Identifiers compare without spaces, dashes or case: ``AB 12-34`` -> ``ab1234``."""
    return _NOT_ALNUM.sub("", value.lower())


@dataclass
class _Entry:
    schema: str = "Thing"
    names: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    facets: set[str] = field(default_factory=set)


def reindex(conn: Connection, canonical_ids: Iterable[str]) -> None:
    """Rebuild the index rows of these entities from their statements."""
    ids = sorted(set(canonical_ids))
    for start in range(0, len(ids), _CHUNK):
        _reindex_chunk(conn, ids[start : start + _CHUNK])


def _reindex_chunk(conn: Connection, ids: list[str]) -> None:
    conn.execute(delete(search_name).where(search_name.c.canonical_id.in_(ids)))
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
            statement.c.canonical_id.in_(ids),
            statement.c.prop_type.in_(_INDEXED) | (statement.c.prop == ENTITY_PROP),
        )
    )
    entries: dict[str, _Entry] = {}
    for cid, schema, prop, prop_type, value, dataset, case_id in rows:
        entry = entries.setdefault(cid, _Entry())
        entry.facets.add(facet_token(Facet.DATASET, dataset))
        if case_id:
            entry.facets.add(facet_token(Facet.CASE, case_id))
        if prop == ENTITY_PROP:
            entry.schema = schema
        elif prop_type in NAME_TYPES:
            entry.names.add(value)
        elif prop_type in IDENTIFIER_TYPES:
            entry.identifiers.add(value)
        elif prop_type == "country":
            entry.facets.add(facet_token(Facet.COUNTRY, value))
    values: list[dict[str, Any]] = []
    for cid, entry in entries.items():
        entry.facets.add(facet_token(Facet.SCHEMA, entry.schema))
        facets = " ".join(sorted(entry.facets))
        for name in sorted(entry.names):
            keys = name_keys(name)
            if keys:
                values.append(_row(cid, entry.schema, name, keys, skeleton_keys(name), facets))
        for ident in sorted(entry.identifiers):
            key = identifier_key(ident)
            if key:
                values.append(_row(cid, entry.schema, ident, {key}, set(), facets))
    if values:
        conn.execute(insert(search_name), values)


def _row(
    cid: str, schema: str, name: str, keys: set[str], skel: set[str], facets: str
) -> dict[str, Any]:
    return {
        "canonical_id": cid,
        "schema": schema,
        "name": name,
        "keys": " ".join(sorted(keys)),
        "skel": " ".join(sorted(skel)),
        "facets": facets,
    }
