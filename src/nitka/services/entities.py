"""Finding and showing entities as the actor may see them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action, Outcome
from nitka.access.reading import visible_entity, visible_search
from nitka.access.visibility import READERS, Redacted
from nitka.analysis.graph import PHONE, Graph, expand
from nitka.resolve.merges import Judgement, judgements_for
from nitka.search.query import SearchFilters, search
from nitka.services.guard import NotFoundError, audit, refuse, require, viewer_of
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
    """An entity as the actor may see it, and the ids merged into it."""

    entity: Redacted
    members: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {**self.entity.as_dict(), "members": self.members}


def find(
    conn: Connection,
    actor: Actor,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 20,
) -> list[Hit]:
    """Names and identifiers across scripts, among the entities the actor may see.

    A result is kept only when the name that matched is one the actor may see,
    so that a search cannot confirm a hidden name.
    """
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
            for found in visible_search(conn, viewer, query, filters, limit=limit)
        ]
    else:
        results = search(conn, query, filters, limit=limit)
        entities = get_entities(conn, [r.id for r in results])
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


def show(conn: Connection, actor: Actor, entity_id: str) -> Shown:
    """An entity with the statements the actor may see, and their provenance.

    An entity with nothing the actor may see is answered as one that does not
    exist; the attempt is an audit record either way.
    """
    subject = {"id": entity_id}
    require(conn, actor, READERS, Action.VIEW, subject)
    viewer = viewer_of(conn, actor)
    shown: Shown | None = None
    if viewer is not None:
        redacted = visible_entity(conn, viewer, entity_id)
        if redacted is not None:
            shown = Shown(redacted, [redacted.id])
    else:
        entity = get_entity(conn, entity_id)
        if entity is not None:
            everything = Redacted(entity.id, entity.schema.name, entity.statements, protected=False)
            shown = Shown(everything, entity.members)
    if shown is None:
        audit(conn, actor, Action.VIEW, subject, outcome=Outcome.REFUSED)
        raise NotFoundError(f"no entity {entity_id!r}", field="entity_id")
    audit(conn, actor, Action.VIEW, subject, entities=[shown.entity.id, *shown.members],
          result_size=len(shown.entity.statements))  # fmt: skip
    return shown


@dataclass(frozen=True)
class Inspected:
    """An entity's page: the entity as the actor may see it, its neighbours and links,
    and the merge judgements about it."""

    entity: Redacted
    graph: Graph
    judgements: list[Judgement]


def inspect(conn: Connection, actor: Actor, entity_id: str) -> Inspected:
    """An entity with its statements, its links and the judgements that merged it, as
    the actor may see them. One the actor may not see answers as one that does not
    exist; the attempt is an audit record either way, naming what the page showed."""
    subject = {"id": entity_id}
    require(conn, actor, READERS, Action.VIEW, subject)
    viewer = viewer_of(conn, actor)
    if viewer is None:
        raise refuse(conn, actor, Action.VIEW, subject, "a page is an account's", "account")
    shown = visible_entity(conn, viewer, entity_id)
    if shown is None:
        audit(conn, actor, Action.VIEW, subject, outcome=Outcome.REFUSED)
        raise NotFoundError(f"no entity {entity_id!r}", field="entity_id")
    graph = expand(conn, viewer, [shown.id])
    seen = [e for e in (shown.id, *graph.entity_ids()) if not e.startswith(PHONE)]
    audit(conn, actor, Action.VIEW, subject, entities=seen, result_size=len(shown.statements))
    return Inspected(shown, graph, judgements_for(conn, shown.id))
