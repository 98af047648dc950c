"""The exchange with partner agencies, as one user sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action, Outcome
from nitka.access.visibility import READERS, Viewer
from nitka.exchange.messages import Message, events_of, load_message
from nitka.exchange.sight import may_read_statement, may_see_message
from nitka.services.guard import NotFoundError, audit, require, viewer_of


@dataclass(frozen=True)
class ShownMessage:
    """A message with the body the actor may read, and its steps."""

    item: Message
    body: dict[str, Any]
    events: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {**self.item.summary(), "body": self.body, "events": self.events}


def sees_message(viewer: Viewer | None, item: Message) -> bool:
    """Whether the message exists for the viewer (None: a local operator sees all)."""
    return viewer is None or may_see_message(viewer, item)


def show_message(conn: Connection, actor: Actor, message_id: str) -> ShownMessage:
    """A message with its body (the statements the actor may read) and its steps.

    A message outside the actor's cases is answered as one that does not exist;
    the attempt is an audit record either way.
    """
    subject = {"message": message_id}
    require(conn, actor, READERS, Action.VIEW, subject)
    item = load_message(conn, message_id)
    viewer = viewer_of(conn, actor)
    if item is None or not sees_message(viewer, item):
        audit(conn, actor, Action.VIEW, subject, outcome=Outcome.REFUSED)
        raise NotFoundError(f"no message {message_id!r}", field="message")
    body = dict(item.body)
    body["statements"] = [
        s for s in body.get("statements", []) if viewer is None or may_read_statement(viewer, s)
    ]
    audit(conn, actor, Action.VIEW, subject,
          entities=sorted({s["entity_id"] for s in body["statements"]}),
          result_size=len(body["statements"]))  # fmt: skip
    return ShownMessage(item, body, events_of(conn, message_id))
