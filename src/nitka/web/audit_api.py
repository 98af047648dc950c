"""``/audit/...``: the auditor's questions over the API.

The service (``nitka.services.audit_trail``) lets only the auditor's role ask
them, records a refusal, and records each question about a person or a user:
who watches the watchers is on record too.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from nitka.services import audit_trail
from nitka.services.guard import transaction
from nitka.web.auth import ActorDep
from nitka.web.deps import EngineDep

router = APIRouter(prefix="/audit")


@router.get("/verify")
def verify_trail(engine: EngineDep, actor: ActorDep) -> dict[str, Any]:
    """Walk the hash chain; names the first record changed, removed or slipped in."""
    with transaction(engine) as conn:
        found = audit_trail.verify_trail(conn, actor)
    return {
        "intact": found.intact,
        "records": found.records,
        "head_hash": found.head_hash,
        "broken_at": found.broken_at,
        "problems": found.problems,
    }


@router.get("/who-saw/{entity_id}")
def entity_history(
    entity_id: str,
    engine: EngineDep,
    actor: ActorDep,
    after: int = Query(0, ge=0, description="Only records with a higher id (to page on)."),
    limit: int = Query(1000, ge=1, le=10_000),
) -> list[dict[str, Any]]:
    """Every search, view, check, export and change that named the entity (or one merged
    with it), or held the whole store, oldest first."""
    with transaction(engine) as conn:
        records = audit_trail.entity_history(conn, actor, entity_id, after=after, limit=limit)
    return [record.as_dict() for record in records]


@router.get("/by-user/{name}")
def user_history(
    name: str,
    engine: EngineDep,
    actor: ActorDep,
    after: int = Query(0, ge=0, description="Only records with a higher id (to page on)."),
    limit: int = Query(1000, ge=1, le=10_000),
) -> list[dict[str, Any]]:
    """Everything one user or system did, oldest first."""
    with transaction(engine) as conn:
        records = audit_trail.user_history(conn, actor, name, after=after, limit=limit)
    return [record.as_dict() for record in records]
