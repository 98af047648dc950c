"""The exchange in the browser: inbox, outbox, the overdue list, a message with
its steps, and drafting, approval (four eyes), the legal decision, sending,
taking up, answering and closing.

Each step is the workflow's own (``nitka.exchange.workflow``), so the rules
are the API's: who may approve, the Article 3 review before approval, H2
data not passed on without permission; a refused step shows its reason
beside the form. Messages are shown by the exchange's need-to-know
(``nitka.exchange.sight``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account, Role
from nitka.access.audit import Action
from nitka.access.visibility import READERS, Viewer
from nitka.errors import FieldError
from nitka.exchange.kinds import Kind, Priority
from nitka.exchange.messages import events_of, list_messages, load_message, overdue
from nitka.exchange.partners import all_partners
from nitka.exchange.review import REVIEW_KEY, decide
from nitka.exchange.sight import may_read_statement, may_see_message
from nitka.exchange.workflow import Draft, approve, close, draft, send, take_up
from nitka.web.deps import DeliveryDep, EngineDep, KeysDep, SettingsDep
from nitka.web.ui.guard import page_user
from nitka.web.ui.home_page import my_cases
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.recording import record
from nitka.web.ui.templating import not_found, refusal, render

router = APIRouter(include_in_schema=False)
READER = Depends(page_user(READERS))
SUPERVISOR = Depends(page_user(frozenset({Role.SUPERVISOR})))
DRAFT_KINDS = [k for k in Kind if k not in (Kind.CORRECTION, Kind.RETRACTION)]


@router.get("/ui/exchange", response_class=HTMLResponse)
def exchange_lists(
    request: Request, engine: EngineDep, settings: SettingsDep, account: Account = READER
) -> Response:
    now = datetime.now(UTC)
    with engine.connect() as conn:
        viewer = Viewer.of(conn, account)
        visible = [m for m in list_messages(conn) if may_see_message(viewer, m)]
        late = [m.summary(now) for m in overdue(conn, now) if may_see_message(viewer, m)]
        partners = [p.agency_id for p in all_partners(conn)]
        cases = my_cases(conn, account.name)
    newest_first = sorted(visible, key=lambda m: m.created_at, reverse=True)
    context = {
        "enabled": bool(settings.agency_id),
        "agency": settings.agency_id,
        "inbox": [m.summary(now) for m in newest_first if m.direction == "in"],
        "outbox": [m.summary(now) for m in newest_first if m.direction == "out"],
        "overdue": late,
        "partners": partners,
        "cases": cases,
        "kinds": [k.value for k in DRAFT_KINDS],
        "priorities": [p.value for p in Priority],
    }
    return render(request, "exchange.html", context, account=account)


@router.get("/ui/exchange/{message_id}", response_class=HTMLResponse)
def message_page(
    message_id: str, request: Request, engine: EngineDep, account: Account = READER
) -> Response:
    with engine.begin() as conn:
        viewer = Viewer.of(conn, account)
        item = load_message(conn, message_id)
        if item is None or not may_see_message(viewer, item):
            message = _("There is no message %(id)s, or you may not see it.") % {"id": message_id}
            return not_found(request, account, message)
        statements = [s for s in item.body.get("statements", []) if may_read_statement(viewer, s)]
        steps = events_of(conn, message_id)
        seen = sorted({s["entity_id"] for s in statements})
        subject = {"message": message_id}
        record(conn, request, account, Action.VIEW, subject, seen, result_size=len(statements))
    review = item.body.get(REVIEW_KEY) or {}
    context: dict[str, Any] = {
        "m": item.summary(),
        "text": item.body.get("text", ""),
        "legal_basis": item.body.get("legal_basis", ""),
        "handling": item.body.get("handling", ""),
        "statements": statements,
        "steps": steps,
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
    account: Account = READER,
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
        lambda conn: draft(conn, account, Viewer.of(conn, account), settings, request_).id,
    )


@router.post("/ui/exchange/{message_id}/approve", response_class=HTMLResponse)
def approve_message(
    message_id: str,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    note: str = Form(""),
    account: Account = SUPERVISOR,
) -> Response:
    return _step(
        request, engine, lambda conn: approve(conn, account, message_id, settings, note).id
    )


@router.post("/ui/exchange/{message_id}/decide", response_class=HTMLResponse)
def decide_message(
    message_id: str,
    request: Request,
    engine: EngineDep,
    cleared: str = Form(...),
    reasoning: str = Form(..., min_length=1, max_length=10_000),
    account: Account = SUPERVISOR,
) -> Response:
    def step(conn: Connection) -> str:
        _require_visible(conn, account, message_id)
        decided = decide(conn, account, message_id, cleared=cleared == "yes", reasoning=reasoning)
        return decided.id

    return _step(request, engine, step)


@router.post("/ui/exchange/{message_id}/send", response_class=HTMLResponse)
def send_message(
    message_id: str,
    request: Request,
    engine: EngineDep,
    wake: DeliveryDep,
    keys: KeysDep,
    account: Account = READER,
) -> Response:
    if keys is None:
        return refusal(_("The exchange is off: this server has no agency id."))
    response = _step(request, engine, lambda conn: send(conn, account, message_id, keys).id)
    if wake is not None:
        wake.set()
    return response


@router.post("/ui/exchange/{message_id}/take-up", response_class=HTMLResponse)
def take_up_message(
    message_id: str, request: Request, engine: EngineDep, account: Account = READER
) -> Response:
    def step(conn: Connection) -> str:
        _require_visible(conn, account, message_id)
        take_up(conn, account, message_id)
        return message_id

    return _step(request, engine, step)


@router.post("/ui/exchange/{message_id}/close", response_class=HTMLResponse)
def close_message(
    message_id: str,
    request: Request,
    engine: EngineDep,
    note: str = Form(""),
    account: Account = READER,
) -> Response:
    def step(conn: Connection) -> str:
        _require_visible(conn, account, message_id)
        close(conn, account, message_id, note)
        return message_id

    return _step(request, engine, step)


def _require_visible(conn: Connection, account: Account, message_id: str) -> None:
    item = load_message(conn, message_id)
    if item is None or not may_see_message(Viewer.of(conn, account), item):
        raise FieldError(f"no message {message_id!r}", field="message")


def _step(request: Request, engine: Engine, step: Callable[[Connection], str]) -> Response:
    """One workflow step in one transaction; then to the message's page, or the
    refusal shown beside the form."""
    try:
        with engine.begin() as conn:
            message_id = step(conn)
    except FieldError as error:
        return refusal(f"{error.field}: {error}")
    return Response(status_code=204, headers={"HX-Redirect": f"/ui/exchange/{message_id}"})
