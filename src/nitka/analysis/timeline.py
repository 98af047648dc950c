"""What happened when: the calls, payments, trips and events of some entities,
and the exchange messages about them, as timeline items.

An item says who and what ("Oleksandr Petrenko → Ihor Melnyk: call 3 min",
"Maria Koval → Ihor Melnyk: payment 500 EUR", "Trip: Odesa → Lviv"), with its
ends named as the viewer may see them (``nitka.analysis.parties``: the person
behind a number or an account, a protected person as the placeholder); its
tooltip adds the dates and the numbers and accounts behind the names.

An item is a dated entity linked to one of the given nodes (a Payment naming
one of the given accounts, a Call of one of the given numbers), or one of the
given entities itself when it is dated (an Event), or a message that carried
or brought their data. Each item names the given nodes it belongs to, so that
selecting it selects them on the chart and the map.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from followthemoney.schema import Schema
from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.access.visibility import Redacted, Viewer
from nitka.analysis.graph import PHONE, is_link, link_ends, visible_entities
from nitka.analysis.links import members_of, references_to
from nitka.analysis.parties import UNSEEN, Names
from nitka.exchange.messages import load_message
from nitka.exchange.sight import may_see_message
from nitka.store.tables import disclosure, statement

ITEM_LIMIT = 2_000
START_PROPS = ("startDate", "date")
END_PROPS = ("endDate",)
PLACE_PROPS = ("startLocation", "endLocation", "addressEntity")
"""Where a trip went from and to, or where an event was."""
PEOPLE_PROPS = ("involved", "organizer", "holder", "entity")
"""Whom an event, a trip, a document or a sanction is about."""


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
    dated = visible_entities(conn, viewer, owners)
    names = Names(conn, viewer, [v for entity in dated.values() for v in _ends(entity)])
    given = set(nodes)
    for entity_id, entity in dated.items():
        item = dated_item(entity, owners.get(entity_id, {entity_id}), names)
        if item is not None:
            # A call belongs to the people behind its numbers too, where charted.
            behind = (names.owner(v) for v in _ends(entity))
            item.entities |= {o.id for o in behind if o is not None and o.id in given}
            items[item.id] = item
        if len(items) >= ITEM_LIMIT:
            break
    for item in message_items(conn, viewer, members):
        items.setdefault(item.id, item).entities |= item.entities
    return sorted(items.values(), key=lambda i: (i.start, i.id))


def dated_item(entity: Redacted, owners: set[str], names: Names) -> Item | None:
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
    label, detail = describe(entity, schema, values, names)
    title = f"{_when(start, end)} {detail}"
    return Item(entity.id, entity.schema, label, start, end, title, owners)


def _ends(entity: Redacted) -> list[str]:
    """The values that name a link's ends, a trip's places and the people involved."""
    schema = model.get(entity.schema)
    if schema is None or not schema.is_a("Interval"):
        return []
    wanted = [v for side in link_ends(entity) for v in side] if is_link(schema) else []
    wanted += [s.value for s in entity.statements if s.prop in PLACE_PROPS + PEOPLE_PROPS]
    return wanted


def describe(
    entity: Redacted, schema: Schema, values: dict[str, list[str]], names: Names
) -> tuple[str, str]:
    """Who and what: the item's label, and the longer text of its tooltip (the
    numbers and accounts behind the people, the place names in full)."""
    what = schema.label.lower()
    if entity.schema == "Call" and "duration" in values:
        what = f"{what} {_duration(values['duration'][0])}"
    elif "amount" in values:
        what = f"{what} {values['amount'][0]} {' '.join(values.get('currency', []))}".strip()
    kind = sorted(set(values.get("relationship", []) + values.get("role", [])))
    if kind:
        what = f"{what} ({', '.join(kind)})"
    caption = next((v[0] for p in ("name", "title", "summary") if (v := values.get(p))), "")
    if is_link(schema):
        sources, targets = link_ends(entity)
        who = f"{_joined(names.of, sources)} → {_joined(names.of, targets)}"
        full = f"{_joined(names.detailed, sources)} → {_joined(names.detailed, targets)}"
        return f"{who}: {what}", f"{full}: {what}"
    places = [names.place(v) for p in PLACE_PROPS for v in values.get(p, [])[:1]]
    people = [v for p in PEOPLE_PROPS for v in values.get(p, [])]
    label = schema.label
    if people:
        label = f"{_joined(names.of, people)}: {what}"
    if places:
        label = f"{label} {' → '.join(places)}" if people else f"{label}: {' → '.join(places)}"
    if caption:
        label = f"{label} · {caption}" if (people or places) else caption
    return label, label


def _joined(name: Callable[[str], str], values: list[str]) -> str:
    return ", ".join(dict.fromkeys(name(v) for v in values)) or UNSEEN


def _duration(seconds: str) -> str:
    """Whole seconds as a call's length: ``45 s``, ``3 min``, ``1 h 5 min``."""
    try:
        total = round(float(seconds))
    except ValueError:
        return seconds
    if total < 60:
        return f"{total} s"
    minutes = round(total / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def _when(start: str, end: str) -> str:
    shown = start.replace("T", " ")[:16]
    if end and end > start:
        shown = f"{shown} – {end.replace('T', ' ')[:16]}"
    return f"{shown}:"


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
