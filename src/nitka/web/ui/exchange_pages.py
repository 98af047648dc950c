"""The exchange in the browser: inbox, outbox, the overdue list, a message with
its steps, and drafting, approval (four eyes), the legal decision, sending,
taking up, answering and closing.

Each page and step calls the exchange's service (``nitka.services.exchange``),
as the API and the command line do, so the rules are theirs: who may approve,
the Article 3 review before approval, H2 data not passed on without
permission, the exchange's need-to-know. A step the workflow declines shows
its reason beside the form; a role that may not take it gets the 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account
from nitka.access.actor import Actor
from nitka.errors import FieldError
from nitka.exchange.kinds import Kind, Priority
from nitka.exchange.review import REVIEW_KEY
from nitka.services import exchange as service
from nitka.services.exchange import Draft
from nitka.services.guard import NotFoundError, RefusedError, transaction
from nitka.web.auth import actor_of
from nitka.web.deps import DeliveryDep, EngineDep, KeysDep, SettingsDep
from nitka.web.ui.guard import page_user
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.templating import not_found, refusal, render

router = APIRouter(include_in_schema=False)
SIGNED_IN = Depends(page_user())
"""Any signed-in account: the service decides what its role may do (a refusal is the
403 page, ``nitka.web.errors``)."""
DRAFT_KINDS = [k for k in Kind if k not in (Kind.CORRECTION, Kind.RETRACTION)]


@router.get("/ui/exchange", response_class=HTMLResponse)
def exchange_lists(
    request: Request, engine: EngineDep, settings: SettingsDep, account: Account = SIGNED_IN
) -> Response:
    now = datetime.now(UTC)
    with transaction(engine) as conn:
        seen = service.overview(conn, actor_of(request, account), now)
    context = {
        "enabled": bool(settings.agency_id),
        "agency": settings.agency_id,
        "inbox": [m.summary(now) for m in seen.messages if m.direction == "in"],
        "outbox": [m.summary(now) for m in seen.messages if m.direction == "out"],
        "overdue": [m.summary(now) for m in seen.overdue],
        "partners": seen.partners,
        "cases": [{"id": case_id, "title": title} for case_id, title in seen.cases],
        "kinds": [k.value for k in DRAFT_KINDS],
        "priorities": [p.value for p in Priority],
    }
    return render(request, "exchange.html", context, account=account)


@router.get("/ui/exchange/{message_id}", response_class=HTMLResponse)
def message_page(
    message_id: str, request: Request, engine: EngineDep, account: Account = SIGNED_IN
) -> Response:
    try:
        with transaction(engine) as conn:
            shown = service.show_message(conn, actor_of(request, account), message_id)
    except NotFoundError:
        message = _("There is no message %(id)s, or you may not see it.") % {"id": message_id}
        return not_found(request, account, message)
    item = shown.item
    review = item.body.get(REVIEW_KEY) or {}
    context: dict[str, Any] = {
        "m": item.summary(),
        "text": item.body.get("text", ""),
        "legal_basis": item.body.get("legal_basis", ""),
        "handling": item.body.get("handling", ""),
        "statements": shown.body["statements"],
        "steps": shown.events,
        "flags": review.get("flags") or [],
        "decision": review.get("decision"),
        "is_author": item.author == account.name,
        "role": account.role.value,
    }
    return render(request, "message.html", context, account=account)


@router.post("/ui/exchange/draft", response_class=HTMLResponse)
def draft_message(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    kind: str = Form(...),
    to: str = Form(..., max_length=255),
    subject: str = Form(..., min_length=1, max_length=500),
    text: str = Form("", max_length=20_000),
    priority: str = Form("normal"),
    entities: str = Form("", max_length=20_000),
    case: str = Form("", max_length=255),
    legal_basis: str = Form("", max_length=2_000),
    reply_to: str = Form("", max_length=64),
    account: Account = SIGNED_IN,
) -> Response:
    try:
        request_ = Draft(
            kind=Kind(kind),
            receiver=to,
            subject=subject,
            text=text,
            priority=Priority(priority),
            entity_ids=[e for e in entities.replace(",", " ").split() if e],
            case=case or None,
            legal_basis=legal_basis,
            in_reply_to=reply_to or None,
        )
    except ValueError as error:
        return refusal(str(error))
    return _step(
        request,
        engine,
        account,
        lambda conn, who: service.draft(conn, who, settings, request_).id,
    )


@router.post("/ui/exchange/{message_id}/approve", response_class=HTMLResponse)
def approve_message(
    message_id: str,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    note: str = Form(""),
    account: Account = SIGNED_IN,
) -> Response:
    def step(conn: Connection, who: Actor) -> str:
        return service.approve(conn, who, settings, message_id, note).id

    return _step(request, engine, account, step)


@router.post("/ui/exchange/{message_id}/decide", response_class=HTMLResponse)
def decide_message(
    message_id: str,
    request: Request,
    engine: EngineDep,
    cleared: str = Form(...),
    reasoning: str = Form(..., min_length=1, max_length=10_000),
    account: Account = SIGNED_IN,
) -> Response:
    def step(conn: Connection, who: Actor) -> str:
        yes = cleared == "yes"
        return service.decide(conn, who, message_id, cleared=yes, reasoning=reasoning).id

    return _step(request, engine, account, step)


@router.post("/ui/exchange/{message_id}/send", response_class=HTMLResponse)
def send_message(
    message_id: str,
    request: Request,
    engine: EngineDep,
    wake: DeliveryDep,
    keys: KeysDep,
    account: Account = SIGNED_IN,
) -> Response:
    if keys is None:
        return refusal(_("The exchange is off: this server has no agency id."))

    def step(conn: Connection, who: Actor) -> str:
        return service.send(conn, who, keys, message_id).id

    response = _step(request, engine, account, step)
    if wake is not None:
        wake.set()
    return response


@router.post("/ui/exchange/{message_id}/take-up", response_class=HTMLResponse)
def take_up_message(
    message_id: str, request: Request, engine: EngineDep, account: Account = SIGNED_IN
) -> Response:
    def step(conn: Connection, who: Actor) -> str:
        return service.take_up(conn, who, message_id).id

    return _step(request, engine, account, step)


@router.post("/ui/exchange/{message_id}/close", response_class=HTMLResponse)
def close_message(
    message_id: str,
    request: Request,
    engine: EngineDep,
    note: str = Form(""),
    account: Account = SIGNED_IN,
) -> Response:
    def step(conn: Connection, who: Actor) -> str:
        return service.close(conn, who, message_id, note).id

    return _step(request, engine, account, step)


def _step(
    request: Request,
    engine: Engine,
    account: Account,
    step: Callable[[Connection, Actor], str],
) -> Response:
    """One step as the signed-in account, in the service's transaction; then to the
    message's page, or the reason shown beside the form. A role that may not take
    the step gets the 403 page (``nitka.web.errors``), its refusal on record."""
    try:
        with transaction(engine) as conn:
            message_id = step(conn, actor_of(request, account))
    except RefusedError:
        raise
    except FieldError as error:
        return refusal(f"{error.field}: {error}")
    return Response(status_code=204, headers={"HX-Redirect": f"/ui/exchange/{message_id}"})
