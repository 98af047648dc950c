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

An item keeps what it says as parts (``Parts``: the kind, the ends, the
amount, the duration, ...), and is put in words by a ``Wording``: English by
default (``ENGLISH``), or the page's language, which the workstation passes in
(``nitka.web.ui.timeline_words``). Names and places stay as the sources give
them; only the words around them are translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

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
MESSAGE = "Message"


class Wording(Protocol):
    """The words around the names: what a kind of item is called, and a length of time."""

    def schema(self, name: str) -> str:
        """A schema's label ("Call", "Trip")."""

    def duration(self, seconds: int) -> str:
        """A call's length: ``45 s``, ``3 min``, ``1 h 5 min``."""


class _English:
    def schema(self, name: str) -> str:
        schema = model.get(name)
        return schema.label if schema is not None else name

    def duration(self, seconds: int) -> str:
        if seconds < 60:
            return f"{seconds} s"
        minutes = round(seconds / 60)
        return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


ENGLISH: Wording = _English()
"""The model's own labels and English units (the CLI's, the tests')."""


@dataclass(frozen=True)
class Parts:
    """What an item says, before it is put in words."""

    kind: str
    """The schema (``Call``), or ``Message``."""
    link: bool = False
    """Whether it goes from ``sources`` to ``targets`` (a call, a payment)."""
    sources: tuple[str, ...] = ()
    """A link's first ends, named as the viewer may see them."""
    targets: tuple[str, ...] = ()
    sources_detail: tuple[str, ...] = ()
    """The same with the numbers and accounts behind the names, for the tooltip."""
    targets_detail: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    """Whom an event, a trip, a document or a sanction is about."""
    places: tuple[str, ...] = ()
    """Where a trip went from and to, or where an event was."""
    amount: str = ""
    currency: str = ""
    duration: str = ""
    """A call's length in seconds, as the source gives it."""
    ties: tuple[str, ...] = ()
    """The relationship or role stated (``brother``)."""
    caption: str = ""
    """The item's own name, title or summary."""
    when: str = ""
    """``2024-03-01 10:00:``, or a period; empty for a message."""
    reference: str = ""
    """A message's reference, subject, kind and the two agencies."""
    subject: str = ""
    message_kind: str = ""
    sender: str = ""
    receiver: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {name: list(v) if isinstance(v, tuple) else v for name, v in vars(self).items()}


@dataclass
class Item:
    id: str
    schema: str
    start: str
    end: str
    parts: Parts
    entities: set[str]

    @property
    def label(self) -> str:
        """The item's text, in English."""
        return words(self.parts, ENGLISH)[0]

    @property
    def title(self) -> str:
        """Its tooltip, in English."""
        return words(self.parts, ENGLISH)[1]

    def as_dict(self, wording: Wording = ENGLISH) -> dict[str, Any]:
        label, title = words(self.parts, wording)
        return {
            "id": self.id,
            "schema": self.schema,
            "label": label,
            "start": self.start,
            "end": self.end if self.end and self.end > self.start else "",
            "title": title,
            "parts": self.parts.as_dict(),
            "entities": sorted(self.entities),
        }


def words(parts: Parts, wording: Wording) -> tuple[str, str]:
    """An item's text and tooltip: who and what ("A → B: call 3 min")."""
    if parts.kind == MESSAGE:
        label = f"{parts.reference}: {parts.subject}" if parts.subject else parts.reference
        return label, f"{parts.message_kind} {parts.sender} → {parts.receiver}"
    what = wording.schema(parts.kind).lower()
    if parts.duration:
        what = f"{what} {_duration(parts.duration, wording)}"
    elif parts.amount:
        what = f"{what} {parts.amount} {parts.currency}".strip()
    if parts.ties:
        what = f"{what} ({', '.join(parts.ties)})"
    if parts.link:
        who = f"{_joined(parts.sources)} → {_joined(parts.targets)}"
        full = f"{_joined(parts.sources_detail)} → {_joined(parts.targets_detail)}"
        return f"{who}: {what}", f"{parts.when} {full}: {what}"
    label = wording.schema(parts.kind)
    if parts.people:
        label = f"{_joined(parts.people)}: {what}"
    if parts.places:
        route = " → ".join(parts.places)
        label = f"{label} {route}" if parts.people else f"{label}: {route}"
    if parts.caption:
        label = f"{label} · {parts.caption}" if (parts.people or parts.places) else parts.caption
    return label, f"{parts.when} {label}"


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
    parts = describe(entity, schema, values, names, when=_when(start, end))
    return Item(entity.id, entity.schema, start, end, parts, owners)


def _ends(entity: Redacted) -> list[str]:
    """The values that name a link's ends, a trip's places and the people involved."""
    schema = model.get(entity.schema)
    if schema is None or not schema.is_a("Interval"):
        return []
    wanted = [v for side in link_ends(entity) for v in side] if is_link(schema) else []
    wanted += [s.value for s in entity.statements if s.prop in PLACE_PROPS + PEOPLE_PROPS]
    return wanted


def describe(
    entity: Redacted, schema: Schema, values: dict[str, list[str]], names: Names, when: str = ""
) -> Parts:
    """Who and what: the ends (named as the viewer may see them, and with the numbers
    and accounts behind the people for the tooltip), the places in full, the
    amount or the length, and the tie stated."""
    duration = values["duration"][0] if entity.schema == "Call" and "duration" in values else ""
    common: dict[str, Any] = {
        "kind": schema.name,
        "duration": duration,
        "amount": "" if duration else next(iter(values.get("amount", [])), ""),
        "currency": " ".join(values.get("currency", [])),
        "ties": tuple(sorted(set(values.get("relationship", []) + values.get("role", [])))),
        "when": when,
    }
    if is_link(schema):
        sources, targets = link_ends(entity)
        return Parts(
            link=True,
            sources=_named(names.of, sources),
            targets=_named(names.of, targets),
            sources_detail=_named(names.detailed, sources),
            targets_detail=_named(names.detailed, targets),
            **common,
        )
    caption = next((v[0] for p in ("name", "title", "summary") if (v := values.get(p))), "")
    return Parts(
        people=_named(names.of, [v for p in PEOPLE_PROPS for v in values.get(p, [])]),
        places=tuple(names.place(v) for p in PLACE_PROPS for v in values.get(p, [])[:1]),
        caption=caption,
        **common,
    )


def _named(name: Callable[[str], str], values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name(v) for v in values))


def _joined(names: tuple[str, ...]) -> str:
    return ", ".join(names) or UNSEEN


def _duration(seconds: str, wording: Wording) -> str:
    """Whole seconds as a call's length, or the value as given if it is no number."""
    try:
        total = round(float(seconds))
    except ValueError:
        return seconds
    return wording.duration(total)


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
        parts = Parts(
            kind=MESSAGE,
            reference=found.reference,
            subject=str(found.body.get("subject", "")),
            message_kind=found.kind.value,
            sender=found.sender,
            receiver=found.receiver,
        )
        items.append(Item(f"message:{found.id}", MESSAGE, when, "", parts, owners))
    return items
