"""A message's way as its users take it: draft, answer, approve, the legal decision,
send, take up, close, and the corrections and retractions of data sent.

Each step is taken by an account (a local operator has none to write a message
under), on a message the account may see (``nitka.exchange.sight``: any other is
"no message"), by a role ``services.guard`` allows; then the workflow
(``nitka.exchange.workflow``) applies the exchange's own rules (four eyes, the
Article 3 review, H2 data not passed on), and the step is an audit record under
the actor's name, origin and purpose. Sending is a disclosure, recorded with
every entity that left.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.accounts import Account, Role
from nitka.access.actor import Actor
from nitka.access.audit import Action, Outcome
from nitka.access.reading import visible_entity
from nitka.access.visibility import Viewer
from nitka.exchange import review, workflow
from nitka.exchange.keys import InstanceKeys
from nitka.exchange.kinds import Kind
from nitka.exchange.messages import Message, load_message, require_message
from nitka.exchange.sight import may_see_message
from nitka.exchange.workflow import Draft
from nitka.services.exchange.reading import visible_message
from nitka.services.guard import (
    APPROVERS,
    EXCHANGE_USERS,
    SENDERS,
    NotFoundError,
    audit,
    refuse,
    require,
    role_refusal,
)
from nitka.settings import Settings


def _account(
    conn: Connection,
    actor: Actor,
    roles: frozenset[Role],
    action: Action,
    subject: dict[str, Any],
) -> Account:
    """The acting account, if its role may take the step."""
    require(conn, actor, roles, action, subject)
    account = actor.account
    if account is None:
        why = f"messages are written by accounts: {actor.name!r} is none"
        raise refuse(conn, actor, action, subject, why, "actor")
    return account


def draft(conn: Connection, actor: Actor, settings: Settings, request: Draft) -> Message:
    """Draft a message; it goes nowhere before a supervisor other than its author
    approves it. An answer's request must be one the actor sees."""
    subject = {"message draft": request.receiver}
    author = _account(conn, actor, EXCHANGE_USERS, Action.CHANGE, subject)
    if request.in_reply_to:
        visible_message(conn, actor, request.in_reply_to, Action.CHANGE, subject)
    return _drafted(conn, actor, author, settings, request)


def answer(
    conn: Connection,
    actor: Actor,
    settings: Settings,
    message_id: str,
    *,
    subject: str = "",
    text: str = "",
    entity_ids: Sequence[str] = (),
) -> Message:
    """Draft the answer to a message received (approved and sent like any other)."""
    asked = {"message answer": message_id}
    author = _account(conn, actor, EXCHANGE_USERS, Action.CHANGE, asked)
    original = visible_message(conn, actor, message_id, Action.CHANGE, asked)
    request = Draft(
        kind=Kind.ANSWER,
        receiver=original.sender,
        subject=subject or f"Re: {original.body.get('subject', '')}",
        text=text,
        entity_ids=list(entity_ids),
        case=original.case_id,
        in_reply_to=original.id,
    )
    return _drafted(conn, actor, author, settings, request)


def _drafted(
    conn: Connection, actor: Actor, author: Account, settings: Settings, request: Draft
) -> Message:
    made = workflow.draft(conn, author, Viewer.of(conn, author), settings, request)
    audit(conn, actor, Action.CHANGE, {"message draft": made.id, "to": made.receiver})
    return made


def approve(
    conn: Connection, actor: Actor, settings: Settings, message_id: str, note: str = ""
) -> Message:
    """The second pair of eyes: a supervisor who did not write the message."""
    subject = {"message approve": message_id}
    approver = _account(conn, actor, APPROVERS, Action.CHANGE, subject)
    item = visible_message(conn, actor, message_id, Action.CHANGE, subject)
    _second_pair_of_eyes(conn, actor, item, subject, "approve", "approver")
    approved = workflow.approve(conn, approver, message_id, settings, note)
    audit(conn, actor, Action.CHANGE, subject)
    return approved


def decide(
    conn: Connection, actor: Actor, message_id: str, *, cleared: bool, reasoning: str
) -> Message:
    """The legal decision on a message the Article 3 checks flagged: a supervisor
    other than its author clears it, or refuses it (which closes it)."""
    subject = {"message decision": message_id}
    decider = _account(conn, actor, APPROVERS, Action.CHANGE, subject)
    item = visible_message(conn, actor, message_id, Action.CHANGE, subject)
    _second_pair_of_eyes(conn, actor, item, subject, "decide on", "decider")
    decided = review.decide(conn, decider, message_id, cleared=cleared, reasoning=reasoning)
    audit(conn, actor, Action.CHANGE, {**subject, "cleared": cleared, "reasoning": reasoning})
    return decided


def _second_pair_of_eyes(
    conn: Connection, actor: Actor, item: Message, subject: dict[str, Any], step: str, field: str
) -> None:
    """Four eyes: the author of a message may not be the one who lets it go. A
    refusal like any other, on record (the workflow holds the same rule again)."""
    if item.author == actor.name:
        why = f"the author may not {step} their own message"
        raise refuse(conn, actor, Action.CHANGE, subject, why, field)


def send(conn: Connection, actor: Actor, keys: InstanceKeys, message_id: str) -> Message:
    """Sign (and seal) an approved message and put it in the outbox: its author, a
    liaison officer or a supervisor. A disclosure of every entity it carries."""
    asked = {"message send": message_id}
    sender = _account(conn, actor, EXCHANGE_USERS, Action.DISCLOSURE, asked)
    item = visible_message(conn, actor, message_id, Action.DISCLOSURE, asked)
    why = role_refusal(actor, SENDERS)
    if why is not None and item.author != actor.name:
        why = f"{why}: only its author, a liaison officer or a supervisor sends a message"
        raise refuse(conn, actor, Action.DISCLOSURE, asked, why, "sender")
    sent = workflow.send(conn, sender, message_id, keys)
    statements = sent.body["statements"]
    subject = {
        "message": sent.id,
        "to": sent.receiver,
        "kind": sent.kind.value,
        "handling": sent.body["handling"],
    }
    if sent.body.get("permission"):
        subject["permission"] = sent.body["permission"]
    entities = sorted({s["entity_id"] for s in statements})
    audit(conn, actor, Action.DISCLOSURE, subject, entities=entities, result_size=len(statements))
    return sent


def take_up(conn: Connection, actor: Actor, message_id: str) -> Message:
    """Mark a received message as being worked on."""
    subject = {"message take up": message_id}
    account = _account(conn, actor, EXCHANGE_USERS, Action.CHANGE, subject)
    visible_message(conn, actor, message_id, Action.CHANGE, subject)
    workflow.take_up(conn, account, message_id)
    audit(conn, actor, Action.CHANGE, subject)
    return require_message(conn, message_id)


def close(conn: Connection, actor: Actor, message_id: str, note: str = "") -> Message:
    """Close a message: nothing more is expected of it."""
    subject = {"message close": message_id}
    account = _account(conn, actor, EXCHANGE_USERS, Action.CHANGE, subject)
    visible_message(conn, actor, message_id, Action.CHANGE, subject)
    workflow.close(conn, account, message_id, note)
    audit(conn, actor, Action.CHANGE, subject)
    return require_message(conn, message_id)


def change_sent(
    conn: Connection,
    actor: Actor,
    settings: Settings,
    kind: Kind,
    entity_ids: Sequence[str],
    reason: str,
) -> list[Message]:
    """Draft a correction or retraction of these entities to every agency they were
    sent to. Each entity must be one the actor may see, or one that left only in
    messages the actor sees (the exchange desk's, or one erased here since); any
    other is "no entity", so that nobody learns where it was sent."""
    subject = {f"message {kind.value}": list(entity_ids)}
    author = _account(conn, actor, EXCHANGE_USERS, Action.CHANGE, subject)
    viewer = Viewer.of(conn, author)
    for entity_id in entity_ids:
        if not _may_change(conn, viewer, entity_id):
            audit(conn, actor, Action.CHANGE, subject, outcome=Outcome.REFUSED)
            raise NotFoundError(f"no entity {entity_id!r} you may see", field="entities")
    made = workflow.change_sent(conn, author, viewer, settings, kind, list(entity_ids), reason)
    for item in made:
        audit(conn, actor, Action.CHANGE,
              {"message draft": item.id, "to": item.receiver, "kind": kind.value})  # fmt: skip
    return made


def _may_change(conn: Connection, viewer: Viewer, entity_id: str) -> bool:
    shown = visible_entity(conn, viewer, entity_id)
    if shown is not None:
        return bool(shown.statements)
    sent_in = {message_id for _, message_id, _ in workflow.disclosures(conn, [entity_id])}
    return all(
        (item := load_message(conn, message_id)) is not None and may_see_message(viewer, item)
        for message_id in sent_in
    )
