"""The legal review of flagged messages: flags kept with the message, and the decision.

Flags (``nitka.exchange.article3``) are found when an outgoing message is
drafted and again when it is approved, and when an incoming one arrives.
They are kept with the message under ``_review`` (keys starting with ``_``
are ours and never sent). A flagged message is approved, taken up or
answered only after a supervisor has recorded a legal decision that clears
it; a decision that does not clear it closes the message.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account
from nitka.access.organisations import find_agency
from nitka.exchange.article3 import PROTECTED_TOPICS, Flag, check_message, subjects_of
from nitka.exchange.kinds import Status
from nitka.exchange.messages import (
    IN,
    Message,
    MessageError,
    add_event,
    require_message,
    update_message,
)
from nitka.match.names import compare_names
from nitka.search.query import SearchFilters, search
from nitka.settings import Settings
from nitka.store.reader import get_entities
from nitka.store.tables import statement

REVIEW_KEY = "_review"


def run_review(conn: Connection, item: Message, settings: Settings) -> list[Flag]:
    """Find the message's flags and keep them with it (a decision made earlier stays)."""
    flags = review_body(conn, item, settings)
    update_message(conn, item.id, body=orjson.dumps(item.body).decode("utf-8"))
    return flags


def review_body(conn: Connection, item: Message, settings: Settings) -> list[Flag]:
    """Find the message's flags and put them in its body (not yet stored)."""
    requester = item.sender if item.direction == IN else (settings.agency_id or item.sender)
    agency = find_agency(conn, requester)
    flags = check_message(
        item.kind,
        item.body,
        requesting_country=agency.country if agency else None,
        review_countries=settings.review_countries,
        review_names=settings.review_persons,
        known_topics=_topics(conn, item.body),
    )
    if settings.pep_datasets:
        flags += _name_matches(conn, item.body, settings.pep_datasets)
    review = dict(item.body.get(REVIEW_KEY) or {})
    review["flags"] = [flag.as_dict() for flag in flags]
    review["checked_at"] = datetime.now(UTC).isoformat()
    item.body[REVIEW_KEY] = review
    return flags


def require_cleared(item: Message, step: str) -> None:
    """Refuse a step on a flagged message without a decision that clears it."""
    review = item.body.get(REVIEW_KEY) or {}
    flags = review.get("flags") or []
    if not flags:
        return
    decision = review.get("decision")
    if decision is None:
        reasons = "; ".join(f"{f['rule']}: {f['reason']}" for f in flags)[:1500]
        raise MessageError(
            f"flagged for legal review, so it cannot be {step} before a legal decision "
            f"(nitka message decide): {reasons}",
            field="review",
        )
    if not decision.get("cleared"):
        raise MessageError("the legal decision did not clear this message", field="review")


def decide(
    conn: Connection, decider: Account, message_id: str, *, cleared: bool, reasoning: str
) -> Message:
    """Record the legal decision on a flagged message (who may decide, and the audit
    record, are the caller's: ``nitka.services.exchange``)."""
    item = require_message(conn, message_id)
    if not reasoning.strip():
        raise MessageError("a legal decision gives its reasoning", field="reasoning")
    if item.author == decider.name:
        raise MessageError("the author may not decide on their own message", field="decider")
    review = dict(item.body.get(REVIEW_KEY) or {})
    review["decision"] = {
        "by": decider.name,
        "at": datetime.now(UTC).isoformat(),
        "cleared": cleared,
        "reasoning": reasoning,
    }
    item.body[REVIEW_KEY] = review
    values: dict[str, Any] = {"body": orjson.dumps(item.body).decode("utf-8")}
    if not cleared:
        values["status"] = Status.CLOSED
        item.status = Status.CLOSED
    update_message(conn, message_id, **values)
    step = "legal decision: cleared" if cleared else "legal decision: refused"
    add_event(conn, message_id, decider.name, step, reasoning)
    return item


def outgoing_body(body: dict[str, Any]) -> dict[str, Any]:
    """The body as it is sent: without our own keys (``_review``)."""
    return {key: value for key, value in body.items() if not key.startswith("_")}


def _topics(conn: Connection, body: dict[str, Any]) -> dict[str, list[str]]:
    """FtM topics our store holds on the message's subjects (PEP data, where loaded)."""
    ids = sorted({str(s.get("entity_id")) for s in body.get("statements") or []})
    if not ids:
        return {}
    rows = conn.execute(
        select(statement.c.entity_id, statement.c.value).where(
            statement.c.entity_id.in_(ids[:500]), statement.c.prop == "topics"
        )
    )
    found: dict[str, list[str]] = {}
    for entity_id, value in rows:
        found.setdefault(entity_id, []).append(value)
    return found


NAME_MATCH = 0.9
"""How close a subject's name must be to a stored politician's, journalist's or
activist's (``nitka.match``) to flag it: a review, not a hit, so only close ones."""


def _name_matches(conn: Connection, body: dict[str, Any], datasets: list[str]) -> list[Flag]:
    """Subjects whose name matches, across scripts, a politician, journalist or activist
    of the PEP datasets loaded (``NITKA_PEP_DATASETS``)."""
    flags = []
    for subject in subjects_of(body.get("statements") or []):
        for name in subject.names[:3]:
            only = SearchFilters(schema=["Person"], dataset=datasets)
            found = search(conn, name, only, limit=5)
            others = [r.id for r in found if r.id != subject.entity_id]
            if not others:
                continue
            entities = get_entities(conn, others)
            for result in found:
                entity = entities.get(result.id)
                if entity is None:
                    continue
                topics = {s.value for s in entity.statements if s.prop == "topics"}
                roles = sorted({PROTECTED_TOPICS[t] for t in topics if t in PROTECTED_TOPICS})
                if not roles or compare_names(name, result.name).score < NAME_MATCH:
                    continue
                flags.append(
                    Flag(
                        "protected-person",
                        f"{name} matches {entity.caption} ({' and '.join(roles)}; "
                        f"{', '.join(entity.datasets)})",
                    )
                )
                break
    return flags
