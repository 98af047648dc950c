"""The auditor's view of the audit trail: the latest records, who saw an entity,
what a user did, and the verification of the hash chain. Each question is
itself recorded, as on the API (``nitka.services.audit_trail``); any other
role is refused, and the refusal recorded."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from nitka.access.audit import Action
from nitka.services import audit_trail
from nitka.services.guard import transaction
from nitka.web.deps import EngineDep
from nitka.web.ui.guard import AuditorDep
from nitka.web.ui.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/ui/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    engine: EngineDep,
    actor: AuditorDep,
    entity: str = Query("", max_length=255),
    user: str = Query("", max_length=255),
    action: str = Query("", max_length=32),
    check: bool = False,
) -> Response:
    with transaction(engine) as conn:
        found = audit_trail.browse(
            conn, actor, entity=entity, user=user, action=action, check=check
        )
    context = {
        "records": found.records,
        "entity": entity,
        "user": user,
        "action": action,
        "actions": [a.value for a in Action],
        "verification": found.verification,
    }
    return render(request, "audit.html", context, account=actor.account)
