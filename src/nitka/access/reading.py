"""Reading the store as one user: the paths the API and the CLI share.

Search, show and export go through here when a user is named, so that the
rules of ``nitka.access.visibility`` hold the same on the API, on an
operator's terminal and in an exported file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import orjson
from sqlalchemy.engine import Connection

from nitka.access.visibility import Redacted, Viewer, redact
from nitka.search.query import SearchFilters, SearchResult, search
from nitka.store.reader import get_entities, get_entity, iter_entities

FETCH_FACTOR = 3
"""Search fetches this many times the results asked for, since some may be hidden."""


@dataclass(frozen=True)
class Found:
    result: SearchResult
    entity: Redacted


def visible_entity(conn: Connection, viewer: Viewer, entity_id: str) -> Redacted | None:
    entity = get_entity(conn, entity_id)
    return redact(entity, viewer) if entity is not None else None


def visible_search(
    conn: Connection,
    viewer: Viewer,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 20,
) -> list[Found]:
    """Search results the viewer may see.

    A result is kept only when the name that matched is one the viewer may
    see: a search for a hidden or protected name must not confirm it.
    """
    results = search(conn, query, filters, limit=limit * FETCH_FACTOR)
    entities = get_entities(conn, [r.id for r in results])
    found: list[Found] = []
    for result in results:
        entity = entities.get(result.id)
        shown = redact(entity, viewer) if entity is not None else None
        if shown is None or result.name not in shown.names():
            continue
        found.append(Found(result, shown))
        if len(found) == limit:
            break
    return found


def iter_visible(conn: Connection, viewer: Viewer) -> Iterator[Redacted]:
    """Every entity of the store as the viewer may see it; placeholders left out
    (an export has no use for an entity with nothing in it)."""
    for entity in iter_entities(conn):
        shown = redact(entity, viewer)
        if shown is not None and shown.statements:
            yield shown


def export_visible(
    conn: Connection, viewer: Viewer, fh: IO[bytes], *, statements: bool = False
) -> tuple[int, list[str]]:
    """Write what the viewer may see as FtM JSON lines; returns the lines written
    and the ids of the entities in them (for the audit trail)."""
    count = 0
    ids: list[str] = []
    for shown in iter_visible(conn, viewer):
        ids.append(shown.id)
        if statements:
            for stmt in shown.statements:
                fh.write(orjson.dumps(stmt.to_dict()) + b"\n")
                count += 1
        else:
            fh.write(orjson.dumps(shown.ftm_dict()) + b"\n")
            count += 1
    return count, ids
