"""What happened when: the calls, payments, trips and events of some entities,
and the exchange messages about them, as timeline items.

An item is a dated entity linked to one of the given nodes (a Payment naming
one of the given accounts, a Call of one of the given numbers), or one of the
given entities itself when it is dated (an Event), or a message that carried
or brought their data. Each item names the given nodes it belongs to, so that
selecting it selects them on the chart and the map.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.access.visibility import Redacted, Viewer
from nitka.analysis.graph import PHONE, visible_entities
from nitka.analysis.links import members_of, references_to
from nitka.exchange.messages import load_message
from nitka.exchange.sight import may_see_message
from nitka.store.tables import disclosure, statement

ITEM_LIMIT = 2_000
START_PROPS = ("startDate", "date")
END_PROPS = ("endDate",)


@dataclass
class Item:
    id: str
    schema: str
    label: str
    start: str
    end: str
    title: str
    entities: set[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "schema": self.schema,
            "label": self.label,
            "start": self.start,
            "end": self.end if self.end and self.end > self.start else "",
            "title": self.title,
            "entities": sorted(self.entities),
        }


def timeline_of(conn: Connection, viewer: Viewer, node_ids: Iterable[str]) -> list[Item]:
    nodes = list(dict.fromkeys(node_ids))
    entity_ids = [n for n in nodes if not n.startswith(PHONE)]
    members = members_of(conn, entity_ids)
    named = {m: cid for cid, ids in members.items() for m in ids}
    named.update({n.removeprefix(PHONE): n for n in nodes if n.startswith(PHONE)})
    owners: dict[str, set[str]] = {cid: {cid} for cid in entity_ids}
    for reference in references_to(conn, named):
        owners.setdefault(reference.referrer, set()).add(named[reference.value])
    items: dict[str, Item] = {}
    for entity_id, entity in visible_entities(conn, viewer, owners).items():
        item = dated_item(entity, owners.get(entity_id, {entity_id}))
        if item is not None:
            items[item.id] = item
        if len(items) >= ITEM_LIMIT:
            break
    for item in message_items(conn, viewer, members):
        items.setdefault(item.id, item).entities |= item.entities
    return sorted(items.values(), key=lambda i: (i.start, i.id))


def dated_item(entity: Redacted, owners: set[str]) -> Item | None:
    schema = model.get(entity.schema)
    if schema is None or not schema.is_a("Interval"):
        return None
    values: dict[str, list[str]] = {}
    for stmt in entity.statements:
        values.setdefault(stmt.prop, []).append(stmt.value)
    start = next((min(values[p]) for p in START_PROPS if p in values), "")
    if not start:
        return None
    end = next((max(values[p]) for p in END_PROPS if p in values), "")
    label = _label(entity, values)
    return Item(entity.id, entity.schema, label, start, end, f"{entity.schema}: {label}", owners)


def _label(entity: Redacted, values: dict[str, list[str]]) -> str:
    if entity.schema == "Call":
        caller = ", ".join(values.get("callerNumber", []))
        receiver = ", ".join(values.get("receiverNumber", []))
        return f"{caller} → {receiver}"
    if entity.schema == "Payment" and "amount" in values:
        currency = " ".join(values.get("currency", []))
        return f"{entity.caption()} {values['amount'][0]} {currency}".strip()
    return entity.caption()


def message_items(conn: Connection, viewer: Viewer, members: dict[str, set[str]]) -> list[Item]:
    """Messages that sent these entities' data to a partner, or brought it from one."""
    by_member = {m: cid for cid, ids in members.items() for m in ids}
    if not by_member:
        return []
    linked: dict[str, set[str]] = {}
    sent = conn.execute(
        select(disclosure.c.message_id, disclosure.c.entity_id).where(
            disclosure.c.entity_id.in_(sorted(by_member))
        )
    )
    for message_id, entity_id in sent:
        linked.setdefault(message_id, set()).add(by_member[entity_id])
    brought = conn.execute(
        select(statement.c.origin, statement.c.canonical_id)
        .where(statement.c.canonical_id.in_(sorted(members)))
        .where(statement.c.origin.like("message:%"))
        .distinct()
    )
    for origin, canonical_id in brought:
        linked.setdefault(origin.removeprefix("message:"), set()).add(canonical_id)
    items: list[Item] = []
    for message_id, owners in linked.items():
        found = load_message(conn, message_id)
        if found is None or not may_see_message(viewer, found):
            continue
        when = found.sent_at or found.received_at or found.created_at
        subject = str(found.body.get("subject", ""))
        label = f"{found.reference}: {subject}" if subject else found.reference
        title = f"{found.kind.value} {found.sender} → {found.receiver}"
        items.append(Item(f"message:{found.id}", "Message", label, when, "", title, owners))
    return items
