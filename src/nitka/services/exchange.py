"""The exchange with partner agencies, as one user sees it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.visibility import READERS
from nitka.exchange.messages import events_of, load_message
from nitka.exchange.sight import may_read_statement, may_see_message
from nitka.services.guard import NotFoundError, audit, require, viewer_of


def show_message(conn: Connection, actor: Actor, message_id: str) -> dict[str, Any]:
    """A message with its body (the statements the actor may see) and its steps.

    A message the actor may not see is answered as one that does not exist.
    """
    subject = {"message": message_id}
    require(conn, actor, READERS, Action.VIEW, subject)
    item = load_message(conn, message_id)
    viewer = viewer_of(conn, actor)
    if item is None or (viewer is not None and not may_see_message(viewer, item)):
        raise NotFoundError(f"no message {message_id!r}", field="message")
    body = dict(item.body)
    body["statements"] = [
        s for s in body.get("statements", []) if viewer is None or may_read_statement(viewer, s)
    ]
    audit(conn, actor, Action.VIEW, subject,
          entities=sorted({s["entity_id"] for s in body["statements"]}),
          result_size=len(body["statements"]))  # fmt: skip
    return {**item.summary(), "body": body, "events": events_of(conn, message_id)}
