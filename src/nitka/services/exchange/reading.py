"""Reading the exchange: a message with its body, the lists (in, out, due, overdue),
the workstation's overview and the statistics.

Need-to-know is the exchange's (``nitka.exchange.sight``): a message outside the
actor's sight is answered as one that does not exist. Showing a message is an
audit record, done or refused; the lists and figures, which carry no statements,
are records only when refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action, Outcome
from nitka.access.cases import case_titles
from nitka.access.visibility import Viewer
from nitka.exchange import messages
from nitka.exchange.kinds import Status
from nitka.exchange.messages import Message, events_of, load_message
from nitka.exchange.partners import all_partners
from nitka.exchange.sight import may_read_statement, may_see_message
from nitka.exchange.statistics import exchange_statistics
from nitka.services.guard import (
    EXCHANGE_DESK,
    EXCHANGE_USERS,
    NotFoundError,
    audit,
    require,
    viewer_of,
)


@dataclass(frozen=True)
class ShownMessage:
    """A message with the body the actor may read, and its steps."""

    item: Message
    body: dict[str, Any]
    events: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {**self.item.summary(), "body": self.body, "events": self.events}


@dataclass(frozen=True)
class Overview:
    """The workstation's exchange page: the messages the actor sees (newest first),
    the overdue ones, the partners to write to and the actor's cases."""

    messages: list[Message]
    overdue: list[Message]
    partners: list[str]
    cases: list[tuple[str, str]]


def sees_message(viewer: Viewer | None, item: Message) -> bool:
    """Whether the message exists for the viewer (None: a local operator sees all)."""
    return viewer is None or may_see_message(viewer, item)


def visible_message(
    conn: Connection, actor: Actor, message_id: str, action: Action, subject: dict[str, Any]
) -> Message:
    """The message, if the actor may see it; otherwise the attempt is recorded and
    answered as "no message" (whether it exists is not told)."""
    item = load_message(conn, message_id)
    if item is None or not sees_message(viewer_of(conn, actor), item):
        audit(conn, actor, action, subject, outcome=Outcome.REFUSED)
        raise NotFoundError(f"no message {message_id!r}", field="message")
    return item


def show_message(conn: Connection, actor: Actor, message_id: str) -> ShownMessage:
    """A message with its body (the statements the actor may read) and its steps.

    A message outside the actor's cases is answered as one that does not exist;
    the attempt is an audit record either way.
    """
    subject = {"message": message_id}
    require(conn, actor, EXCHANGE_USERS, Action.VIEW, subject)
    item = visible_message(conn, actor, message_id, Action.VIEW, subject)
    viewer = viewer_of(conn, actor)
    body = dict(item.body)
    body["statements"] = [
        s for s in body.get("statements", []) if viewer is None or may_read_statement(viewer, s)
    ]
    audit(conn, actor, Action.VIEW, subject,
          entities=sorted({s["entity_id"] for s in body["statements"]}),
          result_size=len(body["statements"]))  # fmt: skip
    return ShownMessage(item, body, events_of(conn, message_id))


def list_messages(
    conn: Connection,
    actor: Actor,
    *,
    direction: str | None = None,
    status: Status | None = None,
    due_within: float | None = None,
    overdue: bool = False,
    now: datetime | None = None,
) -> list[Message]:
    """The messages the actor sees: all (oldest first, by ``direction`` and
    ``status``), the open requests due within ``due_within`` hours, or the
    ``overdue`` ones (on both sides), soonest deadline first."""
    subject: dict[str, Any]
    if overdue:
        subject = {"messages": "overdue"}
    elif due_within is not None:
        subject = {"messages": "due", "hours": due_within}
    else:
        subject = {"messages": direction or "all"}
    require(conn, actor, EXCHANGE_USERS, Action.VIEW, subject)
    if overdue:
        found = messages.overdue(conn, now)
    elif due_within is not None:
        found = messages.due_within(conn, due_within, now)
    else:
        found = messages.list_messages(conn, direction=direction, status=status)
    viewer = viewer_of(conn, actor)
    return [item for item in found if sees_message(viewer, item)]


def overview(conn: Connection, actor: Actor, now: datetime | None = None) -> Overview:
    """What the workstation's exchange page shows the actor."""
    subject = {"messages": "exchange page"}
    require(conn, actor, EXCHANGE_USERS, Action.VIEW, subject)
    viewer = viewer_of(conn, actor)
    seen = [m for m in messages.list_messages(conn) if sees_message(viewer, m)]
    late = [m for m in messages.overdue(conn, now) if sees_message(viewer, m)]
    return Overview(
        messages=sorted(seen, key=lambda m: m.created_at, reverse=True),
        overdue=late,
        partners=[p.agency_id for p in all_partners(conn)],
        cases=case_titles(conn, actor.name),
    )


def statistics(conn: Connection, actor: Actor, since: str | None = None) -> dict[str, Any]:
    """Contacts per partner country, requests sent and received, answers within the
    deadline, average time to answer: figures over every message (none shown)."""
    require(conn, actor, EXCHANGE_DESK, Action.VIEW, {"exchange statistics": since})
    return exchange_statistics(conn, since)
