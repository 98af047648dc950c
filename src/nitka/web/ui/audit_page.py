"""The auditor's view of the audit trail: the latest records, who saw an entity,
what a user did, and the verification of the hash chain. Each question is
itself recorded, as on the API."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from nitka.access.accounts import Account, Role
from nitka.access.audit import Action, AuditEvent, append, by_actor, latest, verify, who_saw
from nitka.store.reader import cluster_ids
from nitka.web.auth import origin_of
from nitka.web.deps import EngineDep
from nitka.web.ui.guard import page_user
from nitka.web.ui.templating import render

router = APIRouter(include_in_schema=False)
SHOWN = 500


@router.get("/ui/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    engine: EngineDep,
    entity: str = Query("", max_length=255),
    user: str = Query("", max_length=255),
    action: str = Query("", max_length=32),
    check: bool = False,
    account: Account = Depends(page_user(frozenset({Role.AUDITOR}))),
) -> Response:
    with engine.begin() as conn:
        verification = verify(conn) if check else None
        if entity:
            records = who_saw(conn, cluster_ids(conn, entity), limit=SHOWN, newest_first=True)
        elif user:
            records = by_actor(conn, user)[-SHOWN:][::-1]
        else:
            records = latest(conn, SHOWN, action or None)
        asked = {"audit": "workstation", "entity": entity, "user": user, "action": action}
        append(
            conn,
            AuditEvent(
                actor=account.name,
                action=Action.VIEW,
                origin=origin_of(request),
                subject={k: v for k, v in asked.items() if v},
                result_size=len(records),
            ),
        )
    context = {
        "records": records,
        "entity": entity,
        "user": user,
        "action": action,
        "actions": [a.value for a in Action],
        "verification": verification,
    }
    return render(request, "audit.html", context, account=account)
