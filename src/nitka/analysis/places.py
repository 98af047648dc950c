"""Where things are: entities placed on the map, and those that could not be.

An Address with coordinates is placed where it says; any other address, city
or place of birth is read by ``nitka.analysis.addresses.locate`` against the
world's towns and cities (``nitka.analysis.gazetteer``): placed only where its
place name and country agree, otherwise listed as not placed with the reason.
A Trip with a start and an end becomes a route; a Call is placed at its cell
tower when the tower's coordinates are known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from sqlalchemy.engine import Connection

from nitka.access.visibility import Redacted, Viewer
from nitka.analysis.addresses import NotPlaced, locate
from nitka.analysis.gazetteer import UKRAINE_PLACES
from nitka.analysis.graph import visible_entities
from nitka.ingest.cdr import TOWER_NAME, TOWER_PREFIX, tower_id

GAZETTEER = UKRAINE_PLACES
"""The Ukrainian hromada centres, also the map's offline layer of place names."""
PLACE_PROPS = ("birthPlace", "city")
"""String properties that name a place (address-typed properties are read too)."""
ROUTE_ENDS = ("startLocation", "endLocation")


@dataclass
class Located:
    entity: str
    label: str
    place: str
    lat: float
    lon: float
    how: str
    """coordinates, tower, or the property whose text was placed (full, address, birthPlace)."""
    country: str = ""
    matched: str = ""
    """How the text's place was chosen (``nitka.analysis.addresses.Placed.how``)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "label": self.label,
            "place": self.place,
            "lat": self.lat,
            "lon": self.lon,
            "how": self.how,
            "country": self.country,
            "matched": self.matched,
        }


@dataclass
class Unplaced:
    """A text that names where an entity is, left off the map, and why."""

    entity: str
    label: str
    text: str
    prop: str
    reason: str
    detail: dict[str, str | int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "label": self.label,
            "text": self.text,
            "prop": self.prop,
            "reason": self.reason,
            "detail": self.detail,
        }


def places_of(
    conn: Connection, viewer: Viewer, entity_ids: Iterable[str]
) -> tuple[list[Located], list[dict[str, Any]], list[Unplaced]]:
    """Points for the entities, the routes of their trips, and the addresses that could
    not be placed, from what the viewer may see."""
    entities = visible_entities(conn, viewer, entity_ids)
    points: list[Located] = []
    routes: list[dict[str, Any]] = []
    unplaced: list[Unplaced] = []
    referenced = {
        s.value
        for e in entities.values()
        for s in e.statements
        if s.prop in ("addressEntity", *ROUTE_ENDS)
    }
    addresses = visible_entities(conn, viewer, referenced) if referenced else {}
    for entity in entities.values():
        label = entity.caption()
        _add(points, unplaced, _points(entity, label))
        for stmt in entity.statements:
            if stmt.prop == "addressEntity" and stmt.value in addresses:
                _add(points, unplaced, _points(addresses[stmt.value], label, entity.id))
        route = _route(entity, label, addresses)
        if route is not None:
            routes.append(route)
    points.extend(_towers(conn, viewer, entities.values()))
    return points, routes, unplaced


def _add(
    points: list[Located], unplaced: list[Unplaced], found: tuple[list[Located], list[Unplaced]]
) -> None:
    """Each place once for each entity, and each text left off once."""
    for point in found[0]:
        if not any(
            p.entity == point.entity and (p.lat, p.lon) == (point.lat, point.lon) for p in points
        ):
            points.append(point)
    for left in found[1]:
        if not any((u.entity, u.text) == (left.entity, left.text) for u in unplaced):
            unplaced.append(left)


def _points(
    entity: Redacted, label: str, owner: str | None = None
) -> tuple[list[Located], list[Unplaced]]:
    """Where an entity's texts place it. An Address is one place: when one of its texts
    (``full``, ``city``) is placed, the others are not listed as left off."""
    owner = owner or entity.id
    values: dict[str, list[str]] = {}
    for stmt in entity.statements:
        values.setdefault(stmt.prop, []).append(stmt.value)
    lat, lon = values.get("latitude"), values.get("longitude")
    if lat and lon:
        try:
            north, east = float(lat[0]), float(lon[0])
        except ValueError:
            pass
        else:
            return [Located(owner, label, entity.caption(), north, east, "coordinates")], []
    schema = model.get(entity.schema)
    countries = values.get("country", []) if entity.schema == "Address" else []
    found: list[Located] = []
    left: list[Unplaced] = []
    for prop, texts in values.items():
        spec = schema.properties.get(prop) if schema is not None else None
        if spec is None or not (spec.type.name == "address" or prop in PLACE_PROPS):
            continue
        for text in texts:
            placement = locate(text, countries)
            if isinstance(placement, NotPlaced):
                left.append(Unplaced(owner, label, text, prop, placement.reason, placement.detail))
                continue
            place = placement.place
            found.append(
                Located(
                    owner, label, f"{text} ({place.name})", place.lat, place.lon, prop,
                    place.country, placement.how,
                )
            )  # fmt: skip
    if found and entity.schema == "Address":
        left = []
    return found, left


def _route(entity: Redacted, label: str, addresses: dict[str, Redacted]) -> dict[str, Any] | None:
    ends: list[list[float]] = []
    for prop in ROUTE_ENDS:
        value = next((s.value for s in entity.statements if s.prop == prop), None)
        found = _points(addresses[value], label)[0] if value in addresses else []
        if not found:
            return None
        ends.append([found[0].lat, found[0].lon])
    return {"entity": entity.id, "label": label, "points": ends}


def _towers(conn: Connection, viewer: Viewer, entities: Iterable[Redacted]) -> list[Located]:
    """Calls placed at their cell tower's Address, where it has coordinates; the
    tower's id follows from the call's dataset and tower number (``tower_id``)."""
    wanted: dict[str, tuple[str, list[Redacted]]] = {}
    for entity in entities:
        if entity.schema != "Call":
            continue
        for stmt in entity.statements:
            if stmt.prop == "description" and stmt.value.startswith(TOWER_PREFIX):
                number = stmt.value.removeprefix(TOWER_PREFIX)
                name = TOWER_NAME.format(number)
                tower = wanted.setdefault(tower_id(stmt.dataset, number), (name, []))
                tower[1].append(entity)
    shown = visible_entities(conn, viewer, wanted) if wanted else {}
    located: list[Located] = []
    for tower_entity, (name, calls) in wanted.items():
        address = shown.get(tower_entity)
        points = _points(address, name)[0] if address is not None else []
        if points and points[0].how == "coordinates":
            located.extend(
                Located(call.id, call.caption(), name, points[0].lat, points[0].lon, "tower")
                for call in calls
            )
    return located
