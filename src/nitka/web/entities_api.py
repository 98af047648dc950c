"""``GET /entities/{id}`` and ``GET /search``: entities as the caller may see them.

Both go through ``nitka.access.visibility``: a statement of a case the caller
is not a member of, or about a protected person their role may not see, is
not in the answer; an entity with nothing to show is a 404, as if it did not
exist. A search result is kept only when the name that matched is one the
caller may see, so that a search cannot confirm a hidden name. Every answer
and every refusal is an audit record, on the primary; the reading itself goes
to a replica when one is configured (``nitka.web.reading``).
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from nitka.services import entities
from nitka.services.guard import transaction
from nitka.web.auth import ActorDep
from nitka.web.deps import EngineDep
from nitka.web.reading import ReadingDep
from nitka.web.screen_api import json_response

router = APIRouter()
SEARCH_FIELDS = ("id", "schema", "caption", "score", "matched_name", "protected")


@router.get("/entities/{entity_id}", response_class=Response)
def show_entity(
    entity_id: str,
    engine: EngineDep,
    reading: ReadingDep,
    actor: ActorDep,
    nested: bool = Query(
        False, description="Nest the entities it names and that name it, as yente does."
    ),
) -> Response:
    """An entity with the statements the caller may see, and their provenance."""
    with transaction(engine) as conn:
        shown = reading.run(
            conn, lambda read: entities.show(conn, actor, entity_id, nested=nested, read=read)
        )
    return json_response(shown.yente_dict(nested=nested))


@router.get("/search", response_class=Response)
def search_entities(
    engine: EngineDep,
    reading: ReadingDep,
    actor: ActorDep,
    q: str = Query(..., min_length=1, max_length=500, description="A name or identifier."),
    limit: int = Query(20, ge=1, le=100),
) -> Response:
    """Names across scripts, among the entities the caller may see."""
    with transaction(engine) as conn:
        hits = reading.run(conn, lambda read: entities.find(conn, actor, q, limit=limit, read=read))
    return json_response([{key: hit.as_dict()[key] for key in SEARCH_FIELDS} for hit in hits])
