"""Messages in the store: their rows, their workflow steps, their listing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from nitka.errors import FieldError
from nitka.exchange.kinds import OPEN_STATUSES, Kind, Priority, Status
from nitka.store.tables import message, message_event

OUT, IN = "out", "in"


class MessageError(FieldError):
    """A message that cannot be made, moved on or taken in as asked."""


@dataclass
class Message:
    id: str
    direction: str
    kind: Kind
    sender: str
    receiver: str
    reference: str
    status: Status
    priority: Priority
    created_at: str
    body: dict[str, Any] = field(default_factory=dict)
    their_reference: str | None = None
    in_reply_to: str | None = None
    deadline: str | None = None
    case_id: str | None = None
    author: str | None = None
    sent_at: str | None = None
    received_at: str | None = None
    answered_at: str | None = None

    def is_overdue(self, now: datetime) -> bool:
        return (
            self.deadline is not None
            and self.status in OPEN_STATUSES
            and datetime.fromisoformat(self.deadline) < now
        )

    def summary(self, now: datetime | None = None) -> dict[str, Any]:
        """The message's fields for a list or a screen (its body under ``body``)."""
        now = now or datetime.now(UTC)
        return {
            "id": self.id,
            "direction": self.direction,
            "kind": self.kind.value,
            "sender": self.sender,
            "receiver": self.receiver,
            "reference": self.reference,
            "their_reference": self.their_reference,
            "in_reply_to": self.in_reply_to,
            "status": self.status.value,
            "overdue": self.is_overdue(now),
            "priority": self.priority.value,
            "deadline": self.deadline,
            "case": self.case_id,
            "author": self.author,
            "created_at": self.created_at,
            "sent_at": self.sent_at,
            "received_at": self.received_at,
            "answered_at": self.answered_at,
            "subject": self.body.get("subject", ""),
        }


def insert_message(conn: Connection, item: Message, envelope: dict[str, Any] | None = None) -> None:
    conn.execute(
        insert(message).values(
            id=item.id,
            direction=item.direction,
            kind=item.kind.value,
            sender=item.sender,
            receiver=item.receiver,
            reference=item.reference,
            their_reference=item.their_reference,
            in_reply_to=item.in_reply_to,
            status=item.status.value,
            priority=item.priority.value,
            deadline=item.deadline,
            case_id=item.case_id,
            author=item.author,
            created_at=item.created_at,
            sent_at=item.sent_at,
            received_at=item.received_at,
            answered_at=item.answered_at,
            body=orjson.dumps(item.body).decode("utf-8"),
            envelope=orjson.dumps(envelope).decode("utf-8") if envelope is not None else None,
        )
    )


def load_message(conn: Connection, message_id: str) -> Message | None:
    row = conn.execute(select(message).where(message.c.id == message_id)).mappings().first()
    return _message(dict(row)) if row is not None else None


def require_message(conn: Connection, message_id: str) -> Message:
    found = load_message(conn, message_id)
    if found is None:
        raise MessageError(f"no message {message_id!r}", field="message")
    return found


def envelope_of(conn: Connection, message_id: str) -> dict[str, Any] | None:
    raw = conn.execute(select(message.c.envelope).where(message.c.id == message_id)).scalar()
    return orjson.loads(raw) if raw else None


def update_message(conn: Connection, message_id: str, **values: Any) -> None:
    if "status" in values:
        values["status"] = Status(values["status"]).value
    if isinstance(values.get("body"), dict):
        values["body"] = orjson.dumps(values["body"]).decode("utf-8")
    if "envelope" in values:
        values["envelope"] = orjson.dumps(values["envelope"]).decode("utf-8")
    conn.execute(update(message).where(message.c.id == message_id).values(**values))


def add_event(conn: Connection, message_id: str, actor: str, step: str, note: str = "") -> None:
    conn.execute(
        insert(message_event).values(
            message_id=message_id, at=now_iso(), actor=actor, step=step, note=note
        )
    )


def events_of(conn: Connection, message_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(message_event)
        .where(message_event.c.message_id == message_id)
        .order_by(message_event.c.id)
    ).mappings()
    return [
        {"at": r["at"], "actor": r["actor"], "step": r["step"], "note": r["note"]} for r in rows
    ]


def list_messages(
    conn: Connection, *, direction: str | None = None, status: Status | None = None
) -> list[Message]:
    query = select(message).order_by(message.c.created_at, message.c.id)
    if direction:
        query = query.where(message.c.direction == direction)
    if status:
        query = query.where(message.c.status == status.value)
    return [_message(dict(row)) for row in conn.execute(query).mappings()]


def overdue(conn: Connection, now: datetime | None = None) -> list[Message]:
    """Requests on either side whose deadline has passed without an answer."""
    now = now or datetime.now(UTC)
    query = select(message).where(
        message.c.deadline.is_not(None),
        message.c.status.in_([s.value for s in OPEN_STATUSES]),
    )
    found = [_message(dict(row)) for row in conn.execute(query).mappings()]
    return sorted((m for m in found if m.is_overdue(now)), key=lambda m: m.deadline or "")


def due_within(conn: Connection, hours: float, now: datetime | None = None) -> list[Message]:
    """Requests still open whose deadline falls within ``hours``: the reminders."""
    now = now or datetime.now(UTC)
    horizon = now + timedelta(hours=hours)
    query = select(message).where(
        message.c.deadline.is_not(None),
        message.c.status.in_([s.value for s in OPEN_STATUSES]),
    )
    found = [_message(dict(row)) for row in conn.execute(query).mappings()]
    return sorted(
        (m for m in found if now <= datetime.fromisoformat(m.deadline or "") <= horizon),
        key=lambda m: m.deadline or "",
    )


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _message(row: dict[str, Any]) -> Message:
    return Message(
        id=row["id"],
        direction=row["direction"],
        kind=Kind(row["kind"]),
        sender=row["sender"],
        receiver=row["receiver"],
        reference=row["reference"],
        status=Status(row["status"]),
        priority=Priority(row["priority"]),
        created_at=row["created_at"],
        body=orjson.loads(row["body"]),
        their_reference=row["their_reference"],
        in_reply_to=row["in_reply_to"],
        deadline=row["deadline"],
        case_id=row["case_id"],
        author=row["author"],
        sent_at=row["sent_at"],
        received_at=row["received_at"],
        answered_at=row["answered_at"],
    )
