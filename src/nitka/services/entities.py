"""Finding and showing entities as the actor may see them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action, Outcome
from nitka.access.reading import visible_entity, visible_search
from nitka.access.visibility import READERS, Redacted, Viewer, redact_all
from nitka.search.query import SearchFilters, search
from nitka.services.guard import NotFoundError, audit, require, viewer_of
from nitka.services.nesting import Adjacent, Reveal, adjacent, nested_dict, reveal_all
from nitka.store.reader import get_entities, get_entity


@dataclass(frozen=True)
class Hit:
    """One search result as the actor may see it."""

    id: str
    schema: str
    caption: str
    score: float
    matched_name: str
    matched: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    protected: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Shown:
    """An entity as the actor may see it, the ids merged into it, and (when asked
    for) the entities next to it that the actor may see."""

    entity: Redacted
    members: list[str]
    adjacent: list[Adjacent] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**self.entity.as_dict(), "members": self.members}

    def yente_dict(self, *, nested: bool = False) -> dict[str, Any]:
        """The answer of ``GET /entities/{id}``: Nitka's fields and yente's
        (``datasets``, ``referents``), with adjacent entities nested if asked."""
        answer = {
            **self.entity.as_dict(),
            "datasets": sorted({s.dataset for s in self.entity.statements}),
            "referents": sorted(set(self.members) - {self.entity.id}),
        }
        return nested_dict(answer, self.adjacent) if nested else answer


def find(
    conn: Connection,
    actor: Actor,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 20,
    read: Connection | None = None,
) -> list[Hit]:
    """Names and identifiers across scripts, among the entities the actor may see.

    A result is kept only when the name that matched is one the actor may see,
    so that a search cannot confirm a hidden name. ``read``: where the search runs
    (a replica's connection, ``nitka.store.replica``), by default ``conn``; the
    access check, what the actor may see and the audit record stay on ``conn``.
    """
    read = read if read is not None else conn
    filters = filters or SearchFilters()
    subject = {"query": query, "filters": asdict(filters), "limit": limit}
    require(conn, actor, READERS, Action.SEARCH, subject)
    viewer = viewer_of(conn, actor)
    if viewer is not None:
        hits = [
            Hit(
                found.entity.id,
                found.entity.schema,
                found.entity.caption(),
                found.result.score,
                found.result.name,
                list(found.result.matched),
                sorted({s.dataset for s in found.entity.statements}),
                found.entity.protected,
            )
            for found in visible_search(read, viewer, query, filters, limit=limit)
        ]
    else:
        results = search(read, query, filters, limit=limit)
        entities = get_entities(read, [r.id for r in results])
        hits = []
        for result in results:
            entity = entities.get(result.id)
            hits.append(
                Hit(
                    result.id,
                    result.schema,
                    entity.caption if entity else result.name,
                    result.score,
                    result.name,
                    list(result.matched),
                    entity.datasets if entity else [],
                )
            )
    ids = [hit.id for hit in hits]
    audit(conn, actor, Action.SEARCH, subject, entities=ids, result_size=len(ids))
    return hits


def show(
    conn: Connection,
    actor: Actor,
    entity_id: str,
    *,
    nested: bool = False,
    read: Connection | None = None,
) -> Shown:
    """An entity with the statements the actor may see, and their provenance;
    ``nested``: with the entities it names and that name it (``nesting``).

    An entity with nothing the actor may see is answered as one that does not
    exist; the attempt is an audit record either way. ``read``: as for ``find``.
    """
    read = read if read is not None else conn
    subject: dict[str, Any] = {"id": entity_id, **({"nested": True} if nested else {})}
    require(conn, actor, READERS, Action.VIEW, subject)
    viewer = viewer_of(conn, actor)
    shown: Shown | None = None
    if viewer is not None:
        redacted = visible_entity(read, viewer, entity_id)
        if redacted is not None:
            shown = Shown(redacted, [redacted.id])
    else:
        entity = get_entity(read, entity_id)
        if entity is not None:
            everything = Redacted(entity.id, entity.schema.name, entity.statements, protected=False)
            shown = Shown(everything, entity.members)
    if shown is None:
        audit(conn, actor, Action.VIEW, subject, outcome=Outcome.REFUSED)
        raise NotFoundError(f"no entity {entity_id!r}", field="entity_id")
    if nested:
        reveal = reveal_all(read) if viewer is None else _revealing(read, viewer)
        shown = replace(shown, adjacent=adjacent(read, shown.entity, shown.members, reveal))
    seen = [shown.entity.id, *shown.members, *(item.entity.id for item in shown.adjacent)]
    audit(conn, actor, Action.VIEW, subject, entities=list(dict.fromkeys(seen)),
          result_size=len(shown.entity.statements))  # fmt: skip
    return shown


def _revealing(conn: Connection, viewer: Viewer) -> Reveal:
    def reveal(ids: Iterable[str]) -> dict[str, Redacted]:
        found = get_entities(conn, list(dict.fromkeys(ids)))
        return {item.id: item for item in redact_all(list(found.values()), viewer)}

    return reveal
