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
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from nitka.exchange.delivery import MAX_BATCH, deliver_due
from nitka.exchange.keys import InstanceKeys
from nitka.exchange.kinds import Kind, Priority, Status
from nitka.services import exchange as service
from nitka.services.exchange import Draft
from nitka.services.guard import transaction
from nitka.web.auth import ActorDep, origin_of
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
    """A partner's signed message; answered with our signed receipt. A refused one is
    a 401 (not signed by the partner it names) or a 400, naming the field."""
    _us, keys = exchange
    with transaction(engine) as conn:
        return service.receive(conn, origin_of(request), envelope, keys, settings)


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
    with transaction(engine) as conn:
        results = service.receive_batch(conn, origin_of(request), batch.envelopes, keys, settings)
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
    engine: EngineDep,
    settings: SettingsDep,
    _exchange: ExchangeDep,
    actor: ActorDep,
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
    with transaction(engine) as conn:
        return service.draft(conn, actor, settings, request_).summary()


@router.post("/messages/{message_id}/approve")
def approve_message(
    message_id: str, body: StepBody, engine: EngineDep, settings: SettingsDep, actor: ActorDep
) -> dict[str, Any]:
    """Approve a draft: a supervisor who is not its author (four eyes)."""
    with transaction(engine) as conn:
        return service.approve(conn, actor, settings, message_id, body.note).summary()


class DecisionBody(BaseModel):
    cleared: bool
    reasoning: str = Field(..., min_length=1, max_length=10_000)


@router.post("/messages/{message_id}/decision")
def record_decision(
    message_id: str, body: DecisionBody, engine: EngineDep, actor: ActorDep
) -> dict[str, Any]:
    """The legal decision on a message the Article 3 checks flagged."""
    with transaction(engine) as conn:
        decided = service.decide(
            conn, actor, message_id, cleared=body.cleared, reasoning=body.reasoning
        )
        return decided.summary()


@router.post("/messages/{message_id}/send")
def send_message(
    message_id: str,
    engine: EngineDep,
    exchange: ExchangeDep,
    wake: DeliveryDep,
    actor: ActorDep,
) -> dict[str, Any]:
    """Sign the approved message and queue it: delivered and retried in the background."""
    _, keys = exchange
    with transaction(engine) as conn:
        sent = service.send(conn, actor, keys, message_id)
    if wake is not None:
        wake.set()
    return sent.summary()


@router.post("/messages/{message_id}/take-up")
def take_up_message(message_id: str, engine: EngineDep, actor: ActorDep) -> dict[str, Any]:
    """Mark a received message as being worked on."""
    with transaction(engine) as conn:
        return service.take_up(conn, actor, message_id).summary()


@router.post("/messages/{message_id}/close")
def close_message(
    message_id: str, body: StepBody, engine: EngineDep, actor: ActorDep
) -> dict[str, Any]:
    """Close a message: nothing more is expected of it."""
    with transaction(engine) as conn:
        return service.close(conn, actor, message_id, body.note).summary()


@router.get("/messages")
def messages(
    engine: EngineDep,
    actor: ActorDep,
    direction: str | None = Query(None, pattern="^(in|out)$"),
    status: Status | None = None,
) -> list[dict[str, Any]]:
    """Messages sent and received that the caller sees, oldest first."""
    with transaction(engine) as conn:
        found = service.list_messages(conn, actor, direction=direction, status=status)
    return [m.summary() for m in found]


@router.get("/overdue")
def overdue_messages(engine: EngineDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Requests past their deadline without an answer, on both sides."""
    with transaction(engine) as conn:
        found = service.list_messages(conn, actor, overdue=True)
    return [m.summary() for m in found]


@router.get("/due")
def due_messages(
    engine: EngineDep, actor: ActorDep, hours: float = Query(24.0, ge=0.0, le=24 * 365)
) -> list[dict[str, Any]]:
    """Reminders: open requests whose deadline falls within the next ``hours``."""
    with transaction(engine) as conn:
        found = service.list_messages(conn, actor, due_within=hours)
    return [m.summary() for m in found]


@router.get("/statistics")
def statistics(
    engine: EngineDep, actor: ActorDep, since: str | None = Query(None, max_length=32)
) -> dict[str, Any]:
    """Contacts per partner country, requests sent and received, answers within the
    deadline, average time to answer."""
    with transaction(engine) as conn:
        return service.statistics(conn, actor, since)


class ChangeBody(BaseModel):
    kind: Kind = Field(..., description="correction or retraction")
    entities: list[str] = Field(..., min_length=1, max_length=1000)
    reason: str = Field(..., min_length=1, max_length=10_000)


@router.post("/changes")
def change_sent_data(
    body: ChangeBody,
    engine: EngineDep,
    settings: SettingsDep,
    _exchange: ExchangeDep,
    actor: ActorDep,
) -> list[dict[str, Any]]:
    """Draft a correction or retraction to every agency the entities were sent to."""
    with transaction(engine) as conn:
        made = service.change_sent(conn, actor, settings, body.kind, body.entities, body.reason)
        return [item.summary() for item in made]


@router.get("/messages/{message_id}")
def show_message(message_id: str, engine: EngineDep, actor: ActorDep) -> dict[str, Any]:
    """A message with its body (the statements the caller may see) and its steps."""
    with transaction(engine) as conn:
        return service.show_message(conn, actor, message_id).as_dict()


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
