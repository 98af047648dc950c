"""``GET /entities/{id}`` and ``GET /search``: entities as the caller may see them.

Both go through ``nitka.access.visibility``: a statement of a case the caller
is not a member of, or about a protected person their role may not see, is
not in the answer; an entity with nothing to show is a 404, as if it did not
exist. A search result is kept only when the name that matched is one the
caller may see, so that a search cannot confirm a hidden name. Every answer
and every refusal is an audit record.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import Response

from nitka.access.accounts import Account
from nitka.access.audit import Action, AuditEvent, Outcome, append
from nitka.access.reading import visible_entity, visible_search
from nitka.access.visibility import READERS, Viewer
from nitka.web.auth import origin_of, requires
from nitka.web.deps import EngineDep
from nitka.web.screen_api import json_response

router = APIRouter()


@router.get("/entities/{entity_id}", response_class=Response)
def show_entity(
    entity_id: str,
    request: Request,
    engine: EngineDep,
    x_nitka_purpose: str | None = Header(None),
    account: Account = Depends(requires(READERS)),
) -> Response:
    """An entity with the statements the caller may see, and their provenance."""
    with engine.begin() as conn:
        shown = visible_entity(conn, Viewer.of(conn, account), entity_id)
        event = AuditEvent(
            actor=account.name,
            action=Action.VIEW,
            origin=origin_of(request),
            purpose=x_nitka_purpose or "",
            subject={"id": entity_id},
            entities=[shown.id] if shown is not None else [],
            result_size=len(shown.statements) if shown is not None else 0,
            outcome=Outcome.DONE if shown is not None else Outcome.REFUSED,
        )
        append(conn, event)
    if shown is None:
        raise HTTPException(
            status_code=404, detail={"field": "entity_id", "error": f"no entity {entity_id!r}"}
        )
    return json_response(shown.as_dict())


@router.get("/search", response_class=Response)
def search_entities(
    request: Request,
    engine: EngineDep,
    q: str = Query(..., min_length=1, max_length=500, description="A name or identifier."),
    limit: int = Query(20, ge=1, le=100),
    x_nitka_purpose: str | None = Header(None),
    account: Account = Depends(requires(READERS)),
) -> Response:
    """Names across scripts, among the entities the caller may see."""
    results: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for found in visible_search(conn, Viewer.of(conn, account), q, limit=limit):
            results.append(
                {
                    "id": found.entity.id,
                    "schema": found.entity.schema,
                    "caption": found.entity.caption(),
                    "score": found.result.score,
                    "matched_name": found.result.name,
                    "protected": found.entity.protected,
                }
            )
        event = AuditEvent(
            actor=account.name,
            action=Action.SEARCH,
            origin=origin_of(request),
            purpose=x_nitka_purpose or "",
            subject={"query": q, "limit": limit},
            entities=[r["id"] for r in results],
            result_size=len(results),
        )
        append(conn, event)
    return json_response(results)
