"""An entity with its adjacent entities, as yente's ``GET /entities/{id}?nested=true``
answers it: the entities it names (a passport's holder) nested under the naming
property, and the entities that name it (a person's passports, payments)
nested under the reverse property (``identification``, ``payments``).

Need-to-know holds for every nested entity as for the entity itself: one the
viewer may not see is left out, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from followthemoney.types import registry
from sqlalchemy.engine import Connection

from nitka.access.visibility import Redacted
from nitka.analysis.links import canonical_ids, members_of, references_to
from nitka.store.reader import get_entities

MAX_ADJACENT = 200
"""Nested entities at most, so that a hub (a bank with 10,000 payments) answers at once."""

Reveal = Callable[[Iterable[str]], dict[str, Redacted]]
"""What the viewer may see of these canonical entities, by id (hidden ones left out)."""


@dataclass(frozen=True)
class Adjacent:
    """An entity next to the shown one, and the property of the shown one it nests under."""

    prop: str
    entity: Redacted


def adjacent(
    conn: Connection, shown: Redacted, members: Iterable[str], reveal: Reveal
) -> list[Adjacent]:
    """The entities the shown one names and those that name it, as the viewer may see them."""
    schema = model.get(shown.schema)
    named: list[tuple[str, str]] = []
    for stmt in shown.statements:
        prop = schema.get(stmt.prop) if schema is not None else None
        if prop is not None and prop.type == registry.entity:
            named.append((stmt.prop, stmt.value))
    resolved = canonical_ids(conn, [value for _, value in named])
    pairs = [(prop, resolved[value]) for prop, value in named if resolved[value] != shown.id]
    named_ids = set(members) | members_of(conn, [shown.id])[shown.id]
    for ref in references_to(conn, named_ids):
        if ref.prop_type != registry.entity.name or ref.referrer == shown.id:
            continue
        referrer_schema = model.get(ref.schema)
        prop = referrer_schema.get(ref.prop) if referrer_schema is not None else None
        if prop is not None and prop.reverse is not None:
            pairs.append((prop.reverse.name, ref.referrer))
    pairs = list(dict.fromkeys(pairs))[:MAX_ADJACENT]
    seen = reveal([entity_id for _, entity_id in pairs])
    return [Adjacent(prop, seen[entity_id]) for prop, entity_id in pairs if entity_id in seen]


def reveal_all(conn: Connection) -> Reveal:
    """For a local operator: every entity whole."""

    def reveal(ids: Iterable[str]) -> dict[str, Redacted]:
        found = get_entities(conn, list(dict.fromkeys(ids)))
        return {
            cid: Redacted(cid, entity.schema.name, entity.statements, protected=False)
            for cid, entity in found.items()
        }

    return reveal


def nested_dict(shown: dict[str, Any], around: list[Adjacent]) -> dict[str, Any]:
    """``shown`` (an entity's answer) with its adjacent entities nested in its
    properties, in place of the ids that name them."""
    properties: dict[str, list[Any]] = {
        prop: list(values) for prop, values in shown["properties"].items()
    }
    for item in around:
        values = properties.setdefault(item.prop, [])
        nested = _flat(item.entity)
        for position, value in enumerate(values):
            if value == item.entity.id or (isinstance(value, str) and value in nested["referents"]):
                values[position] = nested
                break
        else:
            values.append(nested)
    return {**shown, "properties": properties}


def _flat(entity: Redacted) -> dict[str, Any]:
    data = entity.ftm_dict()
    data["referents"] = sorted({s.entity_id for s in entity.statements} - {entity.id})
    return data
