"""``/audit/...``: the auditor's questions over the API.

Only the auditor's role may ask them (the administrator manages accounts,
and no one who reads case data reads the log of who read it). Each question
about a person or a user is itself an audit record: who watches the watchers
is on record too.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import Connection

from nitka.access.accounts import Account
from nitka.access.audit import (
    Action,
    AuditEvent,
    AuditRecord,
    append,
    by_actor,
    verify,
    who_saw,
)
from nitka.services.guard import AUDITORS
from nitka.store.reader import cluster_ids
from nitka.web.auth import origin_of, requires
from nitka.web.deps import EngineDep

router = APIRouter(prefix="/audit")


@router.get("/verify")
def verify_trail(engine: EngineDep, _: Account = Depends(requires(AUDITORS))) -> dict[str, Any]:
    """Walk the hash chain; names the first record changed, removed or slipped in."""
    # Not recorded: a verification reads no personal data, and must not add
    # to a chain that may be broken.
    with engine.connect() as conn:
        found = verify(conn)
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
    request: Request,
    engine: EngineDep,
    after: int = Query(0, ge=0, description="Only records with a higher id (to page on)."),
    limit: int = Query(1000, ge=1, le=10_000),
    account: Account = Depends(requires(AUDITORS)),
) -> list[dict[str, Any]]:
    """Every search, view, check, export and change that named the entity (or one merged
    with it), or held the whole store, oldest first."""
    with engine.begin() as conn:
        records = who_saw(conn, cluster_ids(conn, entity_id), after=after, limit=limit)
        _record(conn, request, account, {"audit": "who-saw", "entity": entity_id}, len(records))
    return [record.as_dict() for record in records]


@router.get("/by-user/{name}")
def user_history(
    name: str,
    request: Request,
    engine: EngineDep,
    after: int = Query(0, ge=0, description="Only records with a higher id (to page on)."),
    limit: int = Query(1000, ge=1, le=10_000),
    account: Account = Depends(requires(AUDITORS)),
) -> list[dict[str, Any]]:
    """Everything one user or system did, oldest first."""
    with engine.begin() as conn:
        records = _page(by_actor(conn, name), after, limit)
        _record(conn, request, account, {"audit": "by-user", "user": name}, len(records))
    return [record.as_dict() for record in records]


def _page(records: list[AuditRecord], after: int, limit: int) -> list[AuditRecord]:
    return [record for record in records if record.id > after][:limit]


def _record(
    conn: Connection, request: Request, account: Account, subject: dict[str, Any], size: int
) -> None:
    event = AuditEvent(
        actor=account.name,
        action=Action.VIEW,
        origin=origin_of(request),
        subject=subject,
        result_size=size,
    )
    append(conn, event)
