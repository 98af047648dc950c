"""Where things are: entities placed on the map.

An Address with coordinates is placed where it says; any other address, city
or place of birth is looked up in the bundled gazetteer of Ukrainian places
(``data/ukraine_places.csv``: the hromada centres, with their source) by the
same cross-script name keys as the search, so ``Odesa``, ``Odessa`` and
``Одеса`` find one place; where several places share a name, the most
populous is taken. A Trip with a start and an end becomes a route; a Call
is placed at its cell tower when the tower's coordinates are known.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from followthemoney import model
from sqlalchemy.engine import Connection

from nitka.access.visibility import Redacted, Viewer
from nitka.analysis.graph import visible_entities
from nitka.ingest.cdr import TOWER_NAME, TOWER_PREFIX, tower_id
from nitka.normalise.names import name_tokens, skeleton

GAZETTEER = Path(__file__).resolve().parent / "data" / "ukraine_places.csv"
PLACE_PROPS = ("birthPlace", "city")
"""String properties that name a place (address-typed properties are read too)."""
ROUTE_ENDS = ("startLocation", "endLocation")


@dataclass(frozen=True)
class Place:
    name: str
    region: str
    lat: float
    lon: float
    population: int


EXONYMS = {
    "Kiev": "Київ",
    "Kiew": "Київ",
    "Lvov": "Львів",
    "Lemberg": "Львів",
    "Nikolaev": "Миколаїв",
    "Nikolayev": "Миколаїв",
    "Zaporozhye": "Запоріжжя",
    "Dnepropetrovsk": "Дніпро",
    "Dnipropetrovsk": "Дніпро",
    "Dnepr": "Дніпро",
    "Rovno": "Рівне",
    "Chernigov": "Чернігів",
    "Kirovograd": "Кропивницький",
    "Kirovohrad": "Кропивницький",
    "Ivano-Frankovsk": "Івано-Франківськ",
}
"""Older or Russian names of large cities that no romanisation of the Ukrainian
name reaches (USSR-era documents and foreign records use them)."""
MIN_SKELETON = 4
"""A consonant skeleton this long may place a word (``Kharkov`` -> ``hrkv`` -> Харків);
shorter ones meet too many places."""


@dataclass(frozen=True)
class Gazetteer:
    by_key: dict[str, list[Place]]
    by_skeleton: dict[str, list[Place]]


@cache
def gazetteer() -> Gazetteer:
    """Each name key (and long consonant skeleton) of a place with the places that have it."""
    by_name: dict[str, Place] = {}
    index = Gazetteer({}, {})
    with GAZETTEER.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            place = Place(
                row["place"], row["oblast"], float(row["lat"]), float(row["lon"]),
                int(row["population"] or 0),
            )  # fmt: skip
            if place.population >= by_name.get(place.name, place).population:
                by_name[place.name] = place
            _file(index, row["place"], place)
    for exonym, name in EXONYMS.items():
        if name in by_name:
            _file(index, exonym, by_name[name])
    return index


def _file(index: Gazetteer, name: str, place: Place) -> None:
    for key in _name_keys(name):
        index.by_key.setdefault(key, []).append(place)
        skeleton_key = skeleton(key)
        if len(skeleton_key) >= MIN_SKELETON:
            index.by_skeleton.setdefault(skeleton_key, []).append(place)


def _name_keys(name: str) -> set[str]:
    """The keys of a whole place name: one word (``Івано-Франківськ`` is one), or the
    words' keys joined (``Біла Церква`` -> ``bilatserkva``)."""
    tokens = name_tokens(name.replace("-", ""))
    joined = [""]
    for keys in tokens[:3]:
        joined = [start + key for start in joined for key in sorted(keys)][:16]
    return {key for key in joined if key}


def _text_keys(text: str) -> set[str]:
    """The keys of each word of a text, and of each two neighbouring words together."""
    tokens = name_tokens(text.replace("-", ""))
    keys = {key for token in tokens for key in token}
    for first, second in pairwise(tokens):
        keys |= {a + b for a in first for b in second}
    return keys


def geocode(text: str) -> Place | None:
    """The best known place named in a text (an address, a place of birth): by the
    words' name keys, else by their consonant skeletons; the most populous wins."""
    index = gazetteer()
    keys = _text_keys(text)
    found = [place for key in keys for place in index.by_key.get(key, ())]
    if not found:
        skeletons = {skeleton(key) for key in keys}
        found = [
            place
            for key in skeletons
            if len(key) >= MIN_SKELETON
            for place in index.by_skeleton.get(key, ())
        ]
    return max(found, key=lambda p: p.population, default=None)


@dataclass
class Located:
    entity: str
    label: str
    place: str
    lat: float
    lon: float
    how: str
    """coordinates, address, birthPlace, tower: how the point was found."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "label": self.label,
            "place": self.place,
            "lat": self.lat,
            "lon": self.lon,
            "how": self.how,
        }


def places_of(
    conn: Connection, viewer: Viewer, entity_ids: Iterable[str]
) -> tuple[list[Located], list[dict[str, Any]]]:
    """Points for the entities and the routes of their trips, from what the viewer may see."""
    entities = visible_entities(conn, viewer, entity_ids)
    points: list[Located] = []
    routes: list[dict[str, Any]] = []
    referenced = {
        s.value
        for e in entities.values()
        for s in e.statements
        if s.prop in ("addressEntity", *ROUTE_ENDS)
    }
    addresses = visible_entities(conn, viewer, referenced) if referenced else {}
    for entity in entities.values():
        label = entity.caption()
        points.extend(_points(entity, label))
        for stmt in entity.statements:
            if stmt.prop == "addressEntity" and stmt.value in addresses:
                points.extend(_points(addresses[stmt.value], label, entity.id))
        route = _route(entity, label, addresses)
        if route is not None:
            routes.append(route)
    points.extend(_towers(conn, viewer, entities.values()))
    return points, routes


def _points(entity: Redacted, label: str, owner: str | None = None) -> list[Located]:
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
            return [Located(owner, label, entity.caption(), north, east, "coordinates")]
    schema = model.get(entity.schema)
    found: list[Located] = []
    for prop, texts in values.items():
        spec = schema.properties.get(prop) if schema is not None else None
        if spec is None or not (spec.type.name == "address" or prop in PLACE_PROPS):
            continue
        for text in texts:
            place = geocode(text)
            if place is not None:
                found.append(
                    Located(owner, label, f"{text} ({place.name})", place.lat, place.lon, prop)
                )
    return found


def _route(entity: Redacted, label: str, addresses: dict[str, Redacted]) -> dict[str, Any] | None:
    ends: list[list[float]] = []
    for prop in ROUTE_ENDS:
        value = next((s.value for s in entity.statements if s.prop == prop), None)
        found = _points(addresses[value], label) if value in addresses else []
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
        points = _points(address, name) if address is not None else []
        if points and points[0].how == "coordinates":
            located.extend(
                Located(call.id, call.caption(), name, points[0].lat, points[0].lon, "tower")
                for call in calls
            )
    return located
