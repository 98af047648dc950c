"""Taking in a message from a partner: exactly once, checked, into the store.

The envelope must come from a registered partner, carry that partner's
signature and be addressed to us; a message id seen before is acknowledged
again and changes nothing (a retry, a replay or a duplicate). The data it
brings enters the store with the sending agency as its source
(``partner:<agency>``), the message as its origin, the sender's grading,
categories and handling codes, in the case of the request it answers (or
the exchange case). A correction or retraction changes only what that
partner itself sent. Nothing is half-taken: one transaction, or a refusal
that names the field.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import and_, delete, select
from sqlalchemy.engine import Connection

from nitka.access.cases import add_case, case_exists
from nitka.effects import ChangeKind, after_write
from nitka.errors import RecordError
from nitka.exchange.envelope import EnvelopeError, Opened, header, receipt, unwrap
from nitka.exchange.keys import InstanceKeys
from nitka.exchange.kinds import Kind, Priority, Status
from nitka.exchange.messages import (
    IN,
    OUT,
    Message,
    add_event,
    insert_message,
    load_message,
    now_iso,
    update_message,
)
from nitka.exchange.partners import find_partner
from nitka.exchange.review import review_body
from nitka.exchange.workflow import PARTNER_PREFIX
from nitka.ingest.ftm import parse_statement
from nitka.model.statement import PoliceStatement
from nitka.settings import Settings
from nitka.store.tables import message, statement
from nitka.store.writer import load_canonical_map, write_statements


@dataclass(frozen=True)
class Accepted:
    """One envelope taken in: the receipt to send back, and what it brought (for the
    audit record the caller writes: ``nitka.services.exchange``)."""

    receipt: dict[str, Any]
    duplicate: bool
    message_id: str
    sender: str
    kind: str = ""
    entities: tuple[str, ...] = ()
    statements: int = 0


def accept(
    conn: Connection,
    wire: Any,
    keys: InstanceKeys,
    settings: Settings,
    pending: list[PoliceStatement] | None = None,
) -> Accepted:
    """Check and store one envelope, and run the Article 3 checks on it; the caller
    commits (or rolls back on an error).

    With ``pending``, the message's statements are added to it for the caller to
    write with the rest of a batch (``flush``), not written here."""
    us, exchange_case = settings.agency_id or "", settings.exchange_case
    message_id, sender, _ = header(wire)
    partner = find_partner(conn, sender)
    if partner is None:
        raise EnvelopeError(f"{sender!r} is not a partner of ours", field="sender")
    opened = unwrap(wire, partner.signing_key, keys, us)
    received_at = now_iso()
    if load_message(conn, message_id) is not None:
        return Accepted(receipt(keys, message_id, us, received_at, True), True, message_id, sender)
    # Every check before the first write: a refused envelope leaves nothing behind,
    # also inside a batch that goes on with the next one.
    item = _message(conn, opened, received_at, exchange_case)
    statements = _statements(opened, item)
    _check_attachments(opened.body)
    targets = _targets(opened) if item.kind.changes_earlier else None
    if not case_exists(conn, item.case_id or exchange_case):
        add_case(conn, item.case_id or exchange_case, by="exchange", title="Incoming messages")
    if targets is not None:
        if pending:
            flush(conn, pending)  # what it corrects may be in this very batch
        _apply_change(conn, sender, *targets)
    statements = _not_changed_since(conn, item, statements)
    review_body(conn, item, settings)
    insert_message(conn, item, wire)
    if pending is not None:
        pending.extend(statements)
    elif statements:
        flush(conn, list(statements))
    if item.in_reply_to:
        original = load_message(conn, item.in_reply_to)
        if original is not None and original.direction == OUT and original.receiver == sender:
            update_message(conn, original.id, status=Status.ANSWERED, answered_at=received_at)
            add_event(conn, original.id, f"{PARTNER_PREFIX}{sender}", "answered", item.id)
    add_event(conn, item.id, f"{PARTNER_PREFIX}{sender}", "received")
    return Accepted(
        receipt(keys, message_id, us, received_at, False),
        False,
        message_id,
        sender,
        item.kind.value,
        tuple(sorted({s.entity_id for s in statements})),
        len(statements),
    )


def _message(conn: Connection, opened: Opened, received_at: str, exchange_case: str) -> Message:
    body = opened.body
    kind = _enum(Kind, body, "kind")
    priority = _enum(Priority, body, "priority")
    reply_to = body.get("in_reply_to")
    case = exchange_case
    if isinstance(reply_to, str):
        original = load_message(conn, reply_to)
        if original is not None and original.direction == OUT and original.case_id:
            case = original.case_id
    reference = body.get("reference")
    if not isinstance(reference, str) or not reference or len(reference) > 255:
        raise EnvelopeError("the message's reference is missing or too long", field="reference")
    _optional_text(body, "their_reference", 255)
    _optional_text(body, "in_reply_to", 64)
    deadline = _deadline(body)
    return Message(
        id=opened.id,
        direction=IN,
        kind=kind,
        sender=opened.sender,
        receiver=opened.receiver,
        reference=reference,
        status=Status.RECEIVED,
        priority=priority,
        created_at=opened.sent_at,
        body=body,
        their_reference=body.get("their_reference"),
        in_reply_to=reply_to if isinstance(reply_to, str) else None,
        deadline=deadline,
        case_id=case,
        received_at=received_at,
    )


def _optional_text(body: dict[str, Any], field: str, longest: int) -> None:
    value = body.get(field)
    if value is not None and (not isinstance(value, str) or len(value) > longest):
        raise EnvelopeError(f"{field} must be text of at most {longest} characters", field=field)


def _deadline(body: dict[str, Any]) -> str | None:
    """The deadline as an ISO 8601 time with its offset, or None."""
    value = body.get("deadline")
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or len(str(value)) > 32:
        raise EnvelopeError(
            f"the deadline {str(value)[:40]!r} is not an ISO 8601 time with an offset",
            field="deadline",
        )
    return moment.isoformat()


def _statements(opened: Opened, item: Message) -> list[PoliceStatement]:
    raw = opened.body.get("statements") or []
    if not isinstance(raw, list):
        raise EnvelopeError("statements must be a list", field="statements")
    dataset = f"{PARTNER_PREFIX}{opened.sender}"
    found = []
    for number, record in enumerate(raw):
        if not isinstance(record, dict):
            raise EnvelopeError("a statement is an object", field=f"statements[{number}]")
        try:
            parsed = parse_statement({**record, "dataset": dataset}, dataset)
        except RecordError as error:
            raise EnvelopeError(str(error), field=f"statements[{number}].{error.field}") from None
        found.append(
            replace(
                parsed,
                canonical_id=parsed.entity_id,
                origin=f"message:{opened.id}",
                case=item.case_id,
                id="",  # made again: the case and origin are ours now
            )
        )
    return found


def _check_attachments(body: dict[str, Any]) -> None:
    """Each attachment must be what its hash says."""
    attachments = body.get("attachments") or []
    if not isinstance(attachments, list):
        raise EnvelopeError("attachments must be a list", field="attachments")
    for number, attachment in enumerate(attachments):
        where = f"attachments[{number}]"
        try:
            content = base64.b64decode(str(attachment["content"]), validate=True)
            expected = str(attachment["sha256"])
        except (KeyError, TypeError, ValueError):
            raise EnvelopeError("an attachment is malformed", field=where) from None
        if hashlib.sha256(content).hexdigest() != expected:
            raise EnvelopeError("the attachment's content does not match its hash", field=where)


def _not_changed_since(
    conn: Connection, item: Message, statements: list[PoliceStatement]
) -> list[PoliceStatement]:
    """A message that arrives after its own correction or retraction (deliveries out
    of order): leave out what that change withdrew, as if it had come first."""
    changes = conn.execute(
        select(message.c.body).where(
            message.c.direction == IN,
            message.c.sender == item.sender,
            message.c.kind.in_([Kind.CORRECTION.value, Kind.RETRACTION.value]),
            message.c.body.contains(item.id),
        )
    ).scalars()
    for raw in changes:
        targets = orjson.loads(raw).get("targets") or {}
        if item.id not in (targets.get("messages") or []):
            continue
        withdrawn = set(targets.get("entities") or [])
        statements = [s for s in statements if withdrawn and s.entity_id not in withdrawn]
    return statements


def _targets(opened: Opened) -> tuple[list[str], list[str]]:
    """The messages (as statement origins) and entities a correction or retraction names."""
    targets = opened.body.get("targets")
    if not isinstance(targets, dict) or not isinstance(targets.get("messages"), list):
        raise EnvelopeError("a correction names the messages it changes", field="targets")
    origins = [f"message:{m}" for m in targets["messages"] if isinstance(m, str)]
    entities = [e for e in targets.get("entities") or [] if isinstance(e, str)]
    return origins, entities


def _apply_change(conn: Connection, sender: str, origins: list[str], entities: list[str]) -> None:
    """Remove what a correction replaces or a retraction withdraws: only what this
    partner sent, in the messages named."""
    condition = and_(
        statement.c.dataset == f"{PARTNER_PREFIX}{sender}", statement.c.origin.in_(origins)
    )
    if entities:
        condition = and_(condition, statement.c.entity_id.in_(entities))
    touched = set(conn.execute(select(statement.c.canonical_id).where(condition)).scalars())
    conn.execute(delete(statement).where(condition))
    after_write(
        conn, ChangeKind.STATEMENTS, sorted(touched), datasets=[f"{PARTNER_PREFIX}{sender}"]
    )


def accept_batch(
    conn: Connection, wires: list[Any], keys: InstanceKeys, settings: Settings
) -> list[Accepted | EnvelopeError]:
    """Take in a batch of envelopes in one transaction: for each in order, what was
    taken in (or seen before), or why it was refused. The caller commits, and
    writes the audit records."""
    outcomes: list[Accepted | EnvelopeError] = []
    pending: list[PoliceStatement] = []
    for wire in wires:
        try:
            outcomes.append(accept(conn, wire, keys, settings, pending))
        except EnvelopeError as error:
            outcomes.append(error)
    flush(conn, pending)
    return outcomes


def flush(conn: Connection, statements: list[PoliceStatement]) -> None:
    """Write the statements received, and index their entities; empties the list."""
    if statements:
        canonical = load_canonical_map(conn)
        touched = write_statements(conn, statements, canonical)
        datasets = {stmt.dataset for stmt in statements}
        after_write(conn, ChangeKind.STATEMENTS, sorted(touched), datasets=datasets)
        statements.clear()


def sender_of(wire: Any) -> str | None:
    """The agency an envelope says it is from, if it says so readably."""
    try:
        return header(wire)[1]
    except EnvelopeError:
        return None


def id_of(wire: Any) -> str | None:
    value = wire.get("id") if isinstance(wire, dict) else None
    return value if isinstance(value, str) else None


def _enum(kind: type[Kind] | type[Priority], body: dict[str, Any], field: str) -> Any:
    try:
        return kind(str(body.get(field)))
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise EnvelopeError(f"{body.get(field)!r} is not one of {allowed}", field=field) from None
