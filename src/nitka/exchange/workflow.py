"""A message's way: drafted, approved by a second person, sent, answered, closed.

Four eyes: a supervisor who is not the author approves a message before it
can be sent. What a message carries is what its author may see
(``nitka.access.visibility``); data a partner gave under H2 goes to no third
agency without that partner's permission, whose reference is recorded. Each
step is a message event. Who may take a step, and the audit record of it
(sending is a disclosure, recorded with every entity that left), are the
service layer's (``nitka.services.exchange``), which calls these.
"""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account
from nitka.access.reading import visible_entity
from nitka.access.visibility import Viewer
from nitka.exchange.envelope import wrap
from nitka.exchange.keys import InstanceKeys
from nitka.exchange.kinds import Kind, Priority, Status, default_deadline
from nitka.exchange.messages import (
    OUT,
    Message,
    MessageError,
    add_event,
    insert_message,
    now_iso,
    require_message,
    update_message,
)
from nitka.exchange.partners import find_partner
from nitka.exchange.review import outgoing_body, require_cleared, run_review
from nitka.model.grading import Grading
from nitka.model.handling import HandlingCode
from nitka.model.statement import PoliceStatement
from nitka.settings import Settings
from nitka.store.tables import disclosure, outbox

PARTNER_PREFIX = "partner:"
_STRICTNESS = {code: rank for rank, code in enumerate(HandlingCode)}


@dataclass
class Draft:
    """What the author writes; the rest is taken from the store and the settings."""

    kind: Kind
    receiver: str
    subject: str
    text: str = ""
    priority: Priority = Priority.NORMAL
    entity_ids: list[str] = field(default_factory=list)
    case: str | None = None
    legal_basis: str = ""
    in_reply_to: str | None = None
    deadline: str | None = None
    reference: str | None = None
    handling: HandlingCode | None = None
    handling_note: str | None = None
    evaluation: str | None = None
    """Europol's 4x4 evaluation (``B2``); by default the weakest of the statements."""
    permission: str | None = None
    """The provider's permission (reference) to pass on H2 data it gave us."""
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def draft(
    conn: Connection, author: Account, viewer: Viewer, settings: Settings, request: Draft
) -> Message:
    """Make a draft; refuses data the author may not see or may not pass on. Its
    Article 3 flags are found at once, for the author to see."""
    us = settings.agency_id
    if not us:
        raise MessageError("the exchange is off: NITKA_AGENCY_ID is unset", field="agency_id")
    if find_partner(conn, request.receiver) is None:
        raise MessageError(f"{request.receiver!r} is not a partner", field="receiver")
    if not request.subject.strip():
        raise MessageError("a message needs a subject", field="subject")
    statements = _statements(conn, viewer, request)
    now = datetime.now(UTC)
    deadline = request.deadline or _iso(default_deadline(request.kind, request.priority, now))
    message_id = uuid.uuid4().hex
    handling = _strictest([s.handling for s in statements] + _given(request.handling))
    notes = sorted({s.handling_note for s in statements if s.handling_note})
    if request.handling_note:
        notes.append(request.handling_note)
    body: dict[str, Any] = {
        "kind": request.kind.value,
        "subject": request.subject,
        "text": request.text,
        "priority": request.priority.value,
        "deadline": deadline,
        "legal_basis": request.legal_basis,
        "case": request.case,
        "handling": handling.value,
        "handling_notes": notes,
        "evaluation": request.evaluation or _evaluation(statements),
        "categories": sorted({s.category.value for s in statements}),
        "statements": [_outgoing(s) for s in statements],
        "attachments": [_attachment(name, data) for name, data in request.attachments],
        "permission": request.permission,
    }
    their_reference = None
    if request.in_reply_to:
        original = require_message(conn, request.in_reply_to)
        require_cleared(original, "answered")
        their_reference = original.reference
        body["in_reply_to"] = original.id
        body["their_reference"] = original.reference
    item = Message(
        id=message_id,
        direction=OUT,
        kind=request.kind,
        sender=us,
        receiver=request.receiver,
        reference=request.reference or f"{us}-{now:%Y%m%d}-{message_id[:8]}",
        status=Status.DRAFT,
        priority=request.priority,
        created_at=now.isoformat(),
        body=body,
        their_reference=their_reference,
        in_reply_to=request.in_reply_to,
        deadline=deadline,
        case_id=request.case,
        author=author.name,
    )
    body["reference"] = item.reference
    insert_message(conn, item)
    run_review(conn, item, settings)
    add_event(conn, item.id, author.name, "drafted")
    return item


def approve(
    conn: Connection, approver: Account, message_id: str, settings: Settings, note: str = ""
) -> Message:
    """The second pair of eyes: someone who did not write it (a supervisor: the caller
    checks the role), after the Article 3 checks run again (and, if they flag it, a
    legal decision that clears it)."""
    item = require_message(conn, message_id)
    if item.direction != OUT or item.status is not Status.DRAFT:
        raise MessageError(f"only a draft can be approved, not a {item.status}", field="status")
    if approver.name == item.author:
        raise MessageError("the author may not approve their own message", field="approver")
    run_review(conn, item, settings)
    require_cleared(item, "approved")
    update_message(conn, message_id, status=Status.APPROVED)
    add_event(conn, message_id, approver.name, "approved", note)
    item.status = Status.APPROVED
    return item


def send(conn: Connection, sender: Account, message_id: str, keys: InstanceKeys) -> Message:
    """Sign (and seal) an approved message and put it in the outbox."""
    item = require_message(conn, message_id)
    if item.direction != OUT or item.status is not Status.APPROVED:
        raise MessageError(f"only an approved message is sent, not a {item.status}", field="status")
    partner = find_partner(conn, item.receiver)
    if partner is None:
        raise MessageError(f"{item.receiver!r} is no longer a partner", field="receiver")
    sent_at = now_iso()
    envelope = wrap(
        keys,
        message_id=item.id,
        sender=item.sender,
        receiver=item.receiver,
        sent_at=sent_at,
        body=outgoing_body(item.body),
        seal_to=partner.encryption_key,
    )
    update_message(conn, item.id, status=Status.SENT, sent_at=sent_at, envelope=envelope)
    conn.execute(insert(outbox).values(message_id=item.id, attempts=0, next_attempt=time.time()))
    entities = sorted({s["entity_id"] for s in item.body["statements"]})
    if entities:
        conn.execute(
            insert(disclosure),
            [{"message_id": item.id, "entity_id": e, "agency_id": item.receiver} for e in entities],
        )
    if item.in_reply_to:
        update_message(conn, item.in_reply_to, status=Status.ANSWERED, answered_at=sent_at)
        add_event(conn, item.in_reply_to, sender.name, "answered", item.id)
    add_event(conn, item.id, sender.name, "sent")
    item.status = Status.SENT
    return item


def take_up(conn: Connection, actor: Account, message_id: str) -> None:
    """An incoming message is being worked on."""
    item = require_message(conn, message_id)
    if item.status is not Status.RECEIVED:
        raise MessageError(
            f"only a received message is taken up, not a {item.status}", field="status"
        )
    require_cleared(item, "taken up")
    update_message(conn, message_id, status=Status.IN_PROGRESS)
    add_event(conn, message_id, actor.name, "in progress")


def close(conn: Connection, actor: Account, message_id: str, note: str = "") -> None:
    item = require_message(conn, message_id)
    if item.status in (Status.DRAFT, Status.CLOSED):
        raise MessageError(f"a {item.status} message cannot be closed", field="status")
    update_message(conn, message_id, status=Status.CLOSED)
    add_event(conn, message_id, actor.name, "closed", note)


def _statements(conn: Connection, viewer: Viewer, request: Draft) -> list[PoliceStatement]:
    statements: list[PoliceStatement] = []
    for entity_id in request.entity_ids:
        shown = visible_entity(conn, viewer, entity_id)
        if shown is None or not shown.statements:
            raise MessageError(f"no entity {entity_id!r} you may see", field="entities")
        for stmt in shown.statements:
            if stmt.dataset == f"{PARTNER_PREFIX}{request.receiver}":
                continue  # the receiver gave us these: it has them
            _check_onward(stmt, request)
            statements.append(stmt)
    return statements


def _check_onward(stmt: PoliceStatement, request: Draft) -> None:
    """H2 data a partner gave goes back to that partner only, unless it permits more."""
    if stmt.handling is not HandlingCode.H2 or not stmt.dataset.startswith(PARTNER_PREFIX):
        return
    provider = stmt.dataset[len(PARTNER_PREFIX) :]
    if provider == request.receiver or (request.permission or "").strip():
        return
    raise MessageError(
        f"{stmt.entity_id}: {provider} gave this under H2; it goes to {request.receiver} only "
        f"with {provider}'s permission (give its reference)",
        field="permission",
    )


def _outgoing(stmt: PoliceStatement) -> dict[str, Any]:
    data = stmt.to_dict()
    data.pop("case", None)  # our case ids mean nothing to the receiver
    return data


def _attachment(name: str, data: bytes) -> dict[str, Any]:
    return {
        "name": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "content": base64.b64encode(data).decode("ascii"),
    }


def _evaluation(statements: list[PoliceStatement]) -> str | None:
    if not statements:
        return None
    weakest = max(statements, key=lambda s: (s.reliability.value, s.credibility.value))
    return Grading(weakest.reliability, weakest.credibility).europol


def _strictest(codes: list[HandlingCode]) -> HandlingCode:
    return max(codes, key=_STRICTNESS.__getitem__, default=HandlingCode.H0)


def _given(code: HandlingCode | None) -> list[HandlingCode]:
    return [code] if code is not None else []


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def change_sent(
    conn: Connection,
    author: Account,
    viewer: Viewer,
    settings: Settings,
    kind: Kind,
    entity_ids: list[str],
    reason: str,
) -> list[Message]:
    """Draft a correction or a retraction of these entities for every agency they were
    sent to; each goes through approval like any message.

    A correction withdraws what the earlier messages said about the entities and
    sends what the store holds now; a retraction only withdraws. Each receiver
    applies it to what it received from us, and nothing else.
    """
    if kind not in (Kind.CORRECTION, Kind.RETRACTION):
        raise MessageError("a change is a correction or a retraction", field="kind")
    if not reason.strip():
        raise MessageError("say why the data is corrected or withdrawn", field="text")
    rows = disclosures(conn, entity_ids)
    if not rows:
        raise MessageError("none of these entities was sent to anyone", field="entities")
    by_agency: dict[str, set[str]] = {}
    for agency_id, message_id, _ in rows:
        by_agency.setdefault(agency_id, set()).add(message_id)
    made = []
    for agency_id, message_ids in sorted(by_agency.items()):
        request = Draft(
            kind=kind,
            receiver=agency_id,
            subject=f"{kind.value.capitalize()} of data sent earlier",
            text=reason,
            entity_ids=entity_ids if kind is Kind.CORRECTION else [],
        )
        item = draft(conn, author, viewer, settings, request)
        item.body["targets"] = {"messages": sorted(message_ids), "entities": sorted(entity_ids)}
        update_message(conn, item.id, body=item.body)
        made.append(item)
    return made


def disclosures(conn: Connection, entity_ids: list[str]) -> list[tuple[str, str, str]]:
    """(agency, message, entity) for every time one of these entities was sent."""
    rows = conn.execute(
        select(disclosure.c.agency_id, disclosure.c.message_id, disclosure.c.entity_id).where(
            disclosure.c.entity_id.in_(entity_ids)
        )
    )
    return [(agency_id, message_id, entity_id) for agency_id, message_id, entity_id in rows]
