"""``/exchange/...``: partners deliver to the inbox; officers draft, approve and send.

``POST /exchange/inbox`` takes a partner's signed envelope (the signature,
checked against the key registered for that partner, is its credential:
no token) and answers with a signed receipt, once per message id however
often it is delivered. ``GET /exchange/identity`` gives this instance's
agency and public keys, for partners to register. The other routes are the
operator's, with a token: messages listed, shown, drafted, approved, sent,
answered, taken up and closed, and the overdue list.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from nitka.access.accounts import Account, Role
from nitka.access.visibility import READERS, Viewer
from nitka.errors import FieldError
from nitka.exchange.delivery import MAX_BATCH, deliver_due
from nitka.exchange.envelope import EnvelopeError
from nitka.exchange.keys import InstanceKeys
from nitka.exchange.kinds import Kind, Priority, Status
from nitka.exchange.messages import (
    Message,
    due_within,
    list_messages,
    load_message,
    overdue,
    require_message,
)
from nitka.exchange.receive import accept, accept_batch, record_refusal
from nitka.exchange.review import decide
from nitka.exchange.sight import may_see_message
from nitka.exchange.statistics import exchange_statistics
from nitka.exchange.workflow import (
    Draft,
    approve,
    change_sent,
    close,
    draft,
    send,
    take_up,
)
from nitka.services import exchange as exchange_service
from nitka.services.guard import transaction
from nitka.web.auth import ActorDep, origin_of, requires
from nitka.web.deps import DeliveryDep, EngineDep, KeysDep, SettingsDep

router = APIRouter(prefix="/exchange")
DELIVERY_SECONDS = 0.2
_log = logging.getLogger(__name__)


async def _exchange(keys: KeysDep, settings: SettingsDep) -> tuple[str, InstanceKeys]:
    """A dependency: this agency's id and keys; a 404 while the exchange is off."""
    if not settings.agency_id or keys is None:
        raise HTTPException(
            status_code=404,
            detail={"field": "agency_id", "error": "the exchange is off: NITKA_AGENCY_ID is unset"},
        )
    return settings.agency_id, keys


ExchangeDep = Annotated[tuple[str, InstanceKeys], Depends(_exchange)]


@router.get("/identity")
def identity(exchange: ExchangeDep) -> dict[str, str]:
    """This instance's agency and public keys: what a partner registers."""
    us, keys = exchange
    return {
        "agency": us,
        "signing_key": keys.signing_public,
        "encryption_key": keys.encryption_public,
    }


@router.post("/inbox")
def inbox(
    envelope: dict[str, Any],
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    exchange: ExchangeDep,
) -> dict[str, Any]:
    """A partner's signed message; answered with our signed receipt."""
    _us, keys = exchange
    try:
        with engine.begin() as conn:
            accepted = accept(conn, envelope, keys, settings)
    except EnvelopeError as error:
        _refuse(engine, request, envelope, error)
        status = 401 if error.field in ("signature", "sender") else 400
        raise HTTPException(
            status_code=status, detail={"field": error.field, "error": str(error)}
        ) from None
    return accepted.receipt


class Batch(BaseModel):
    envelopes: list[dict[str, Any]] = Field(..., min_length=1, max_length=MAX_BATCH)


@router.post("/inbox/batch")
def inbox_batch(
    batch: Batch,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    exchange: ExchangeDep,
) -> dict[str, Any]:
    """Several signed messages in one delivery (one transaction here): a receipt or a
    refusal for each, in order. The outbox delivers this way."""
    _, keys = exchange
    with engine.begin() as conn:
        results = accept_batch(conn, batch.envelopes, keys, settings, origin_of(request))
    return {"results": results}


class DraftBody(BaseModel):
    kind: Kind
    to: str = Field(..., max_length=255, description="The receiving partner agency.")
    subject: str = Field(..., max_length=500)
    text: str = Field("", max_length=100_000)
    priority: Priority = Priority.NORMAL
    entities: list[str] = Field(default_factory=list, max_length=1000)
    case: str | None = Field(None, max_length=255)
    legal_basis: str = Field("", max_length=2000)
    reply_to: str | None = Field(None, max_length=64)
    permission: str | None = Field(None, max_length=255)


class StepBody(BaseModel):
    note: str = Field("", max_length=2000)


@router.post("/messages")
def create_draft(
    body: DraftBody,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    _exchange: ExchangeDep,
    account: Account = Depends(requires(READERS)),
) -> dict[str, Any]:
    """Draft a message; it goes nowhere before a supervisor approves it."""
    request_ = Draft(
        kind=body.kind,
        receiver=body.to,
        subject=body.subject,
        text=body.text,
        priority=body.priority,
        entity_ids=body.entities,
        case=body.case,
        legal_basis=body.legal_basis,
        in_reply_to=body.reply_to,
        permission=body.permission,
    )
    with _step(engine) as conn:
        made = draft(conn, account, Viewer.of(conn, account), settings, request_)
    return made.summary()


@router.post("/messages/{message_id}/approve")
def approve_message(
    message_id: str,
    body: StepBody,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    account: Account = Depends(requires(frozenset({Role.SUPERVISOR}))),
) -> dict[str, Any]:
    with _step(engine) as conn:
        return approve(conn, account, message_id, settings, body.note).summary()


class DecisionBody(BaseModel):
    cleared: bool
    reasoning: str = Field(..., min_length=1, max_length=10_000)


@router.post("/messages/{message_id}/decision")
def record_decision(
    message_id: str,
    body: DecisionBody,
    request: Request,
    engine: EngineDep,
    account: Account = Depends(requires(frozenset({Role.SUPERVISOR}))),
) -> dict[str, Any]:
    """The legal decision on a message the Article 3 checks flagged."""
    with _step(engine) as conn:
        _visible(conn, account, message_id)
        decided = decide(conn, account, message_id, cleared=body.cleared, reasoning=body.reasoning)
        return decided.summary()


@router.post("/messages/{message_id}/send")
def send_message(
    message_id: str,
    engine: EngineDep,
    exchange: ExchangeDep,
    wake: DeliveryDep,
    account: Account = Depends(requires(READERS)),
) -> dict[str, Any]:
    """Sign the approved message and queue it: delivered and retried in the background."""
    _, keys = exchange
    with _step(engine) as conn:
        sent = send(conn, account, message_id, keys)
    if wake is not None:
        wake.set()
    return sent.summary()


@router.post("/messages/{message_id}/take-up")
def take_up_message(
    message_id: str,
    request: Request,
    engine: EngineDep,
    account: Account = Depends(requires(READERS)),
) -> dict[str, Any]:
    with _step(engine) as conn:
        _visible(conn, account, message_id)
        take_up(conn, account, message_id)
        return require_message(conn, message_id).summary()


@router.post("/messages/{message_id}/close")
def close_message(
    message_id: str,
    body: StepBody,
    request: Request,
    engine: EngineDep,
    account: Account = Depends(requires(READERS)),
) -> dict[str, Any]:
    with _step(engine) as conn:
        _visible(conn, account, message_id)
        close(conn, account, message_id, body.note)
        return require_message(conn, message_id).summary()


@router.get("/messages")
def messages(
    request: Request,
    engine: EngineDep,
    direction: str | None = Query(None, pattern="^(in|out)$"),
    status: Status | None = None,
    account: Account = Depends(requires(READERS)),
) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        viewer = Viewer.of(conn, account)
        found = list_messages(conn, direction=direction, status=status)
    return [m.summary() for m in found if may_see_message(viewer, m)]


@router.get("/overdue")
def overdue_messages(
    request: Request, engine: EngineDep, account: Account = Depends(requires(READERS))
) -> list[dict[str, Any]]:
    """Requests past their deadline without an answer, on both sides."""
    with engine.connect() as conn:
        viewer = Viewer.of(conn, account)
        found = overdue(conn)
    return [m.summary() for m in found if may_see_message(viewer, m)]


@router.get("/due")
def due_messages(
    request: Request,
    engine: EngineDep,
    hours: float = Query(24.0, ge=0.0, le=24 * 365),
    account: Account = Depends(requires(READERS)),
) -> list[dict[str, Any]]:
    """Reminders: open requests whose deadline falls within the next ``hours``."""
    with engine.connect() as conn:
        viewer = Viewer.of(conn, account)
        found = due_within(conn, hours)
    return [m.summary() for m in found if may_see_message(viewer, m)]


@router.get("/statistics")
def statistics(
    request: Request,
    engine: EngineDep,
    since: str | None = Query(None, max_length=32),
    _: Account = Depends(requires(frozenset({Role.LIAISON, Role.SUPERVISOR}))),
) -> dict[str, Any]:
    """Contacts per partner country, requests sent and received, answers within the
    deadline, average time to answer."""
    with engine.connect() as conn:
        return exchange_statistics(conn, since)


class ChangeBody(BaseModel):
    kind: Kind = Field(..., description="correction or retraction")
    entities: list[str] = Field(..., min_length=1, max_length=1000)
    reason: str = Field(..., min_length=1, max_length=10_000)


@router.post("/changes")
def change_sent_data(
    body: ChangeBody,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    _exchange: ExchangeDep,
    account: Account = Depends(requires(READERS)),
) -> list[dict[str, Any]]:
    """Draft a correction or retraction to every agency the entities were sent to."""
    with _step(engine) as conn:
        viewer = Viewer.of(conn, account)
        made = change_sent(conn, account, viewer, settings, body.kind, body.entities, body.reason)
        return [item.summary() for item in made]


@router.get("/messages/{message_id}")
def show_message(message_id: str, engine: EngineDep, actor: ActorDep) -> dict[str, Any]:
    """A message with its body (the statements the caller may see) and its steps."""
    with transaction(engine) as conn:
        return exchange_service.show_message(conn, actor, message_id).as_dict()


@contextmanager
def _step(engine: Engine) -> Iterator[Any]:
    """One transaction for a workflow step; a refused step is a 400 naming the field."""
    try:
        with engine.begin() as conn:
            yield conn
    except FieldError as error:
        raise HTTPException(
            status_code=404 if error.field == "message" else 400,
            detail={"field": error.field, "error": str(error)},
        ) from None


def _visible(conn: Connection, account: Account, message_id: str) -> tuple[Message, Viewer]:
    item = load_message(conn, message_id)
    viewer = Viewer.of(conn, account)
    if item is None or not may_see_message(viewer, item):
        raise HTTPException(
            status_code=404, detail={"field": "message", "error": f"no message {message_id!r}"}
        )
    return item, viewer


def _refuse(engine: Engine, request: Request, envelope: Any, error: EnvelopeError) -> None:
    with engine.begin() as conn:
        record_refusal(conn, envelope, error, origin_of(request))


def delivery_loop(engine: Engine, stop: threading.Event, wake: threading.Event) -> None:
    """Deliver the outbox until ``stop``: a round whenever woken, or every DELIVERY_SECONDS."""
    with httpx.Client() as client:
        while not stop.is_set():
            wake.wait(DELIVERY_SECONDS)
            wake.clear()
            try:
                while deliver_due(engine, client).tried and not stop.is_set():
                    pass
            except Exception:
                stop.wait(1.0)
