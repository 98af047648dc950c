"""The trips projection: who travelled when, from where to where, and with whom.

The seeds' schemes run on journeys: recruiters organise fake "trips" to Europe
for victims whose bank cards they keep, young men travel to the country boats
leave from. A ``Trip`` entity names its travellers (``involved``), its start
and end (``startDate``, ``endDate`` or ``date``), where from and to
(``startLocation``, ``endLocation``: addresses) and who organised it
(``organizer``) or carried it (``vehicle``). A row is kept per traveller:

- ``traveller``: the traveller's entity id (empty when the trip names no one);
- ``start``, ``end``: the days (a day alone is midnight UTC);
- ``origin``, ``destination``: the place as the address writes it, and its
  country code where the address gives one;
- ``carrier``: the organiser, else the vehicle.

A trip without a start, or with two different starts from two sources, is
rejected, naming the property; so is an end before the start.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import partial
from typing import Any

from sqlalchemy.engine import Connection

from nitka.analysis.links import canonical_ids, references_to
from nitka.analysis.projection import Entity, Projection, load_entities
from nitka.analysis.readings import Fact, RejectedError, facts_of, moment, one
from nitka.normalise.countries import read_countries
from nitka.store.tables import analysis_trip

KIND = "trips"
ENDS = {"origin": "startLocation", "destination": "endLocation"}
PLACE_PROPS = ("full", "city", "country", "street", "postalCode", "region")
MAX_PLACE = 500


class TripsProjection(Projection):
    kind = KIND
    table = analysis_trip
    schema = "Trip"
    props = (
        "involved", "startDate", "endDate", "date", "startLocation", "endLocation",
        "organizer", "vehicle", "country",
    )  # fmt: skip

    def __init__(self) -> None:
        self._canonical: dict[str, str] = {}
        self._places: dict[str, Entity] = {}

    def prepare(self, conn: Connection, entities: Sequence[Entity]) -> None:
        named = {
            fact.value
            for entity in entities
            for fact in entity.facts
            if fact.prop in ("involved", "startLocation", "endLocation", "organizer", "vehicle")
        }
        self._canonical = canonical_ids(conn, named)
        places = sorted(
            {
                self._canonical.get(fact.value, fact.value)
                for entity in entities
                for fact in entity.facts
                if fact.prop in ENDS.values()
            }
        )
        self._places = {p.id: p for p in load_entities(conn, places, PLACE_PROPS)}

    def dependents(self, conn: Connection, ids: Collection[str]) -> set[str]:
        """A trip is projected again when one of its places changes."""
        return {
            ref.referrer
            for ref in references_to(conn, ids)
            if ref.schema == self.schema and ref.prop in ENDS.values()
        }

    def row(self, entity: Entity) -> tuple[dict[str, Any], list[Fact]]:
        return self.rows(entity)[0]

    def rows(self, entity: Entity) -> list[tuple[dict[str, Any], list[Fact]]]:
        facts = entity.facts
        when = "startDate" if facts_of(facts, "startDate") else "date"
        starts = facts_of(facts, when)
        start = one(starts, when, partial(moment, field=when, needs_time=False),
                    what="start of the trip")  # fmt: skip
        ends = facts_of(facts, "endDate")
        end = one(ends, "endDate", partial(moment, field="endDate", needs_time=False),
                  what="end of the trip", required=False)  # fmt: skip
        if end is not None and start is not None and end < start:
            raise RejectedError("endDate", ends[0].value, "the trip ends before it starts")
        shared: dict[str, Any] = {"start": start, "end": end}
        behind = [*starts, *ends]
        for column, prop in ENDS.items():
            place, country, place_facts = self._place(facts, prop)
            shared[column], shared[f"{column}_country"] = place, country
            behind += place_facts
        carriers = facts_of(facts, "organizer") or facts_of(facts, "vehicle")
        shared["carrier"] = (
            self._canonical.get(carriers[0].value, carriers[0].value) if carriers else None
        )
        behind += carriers
        travellers = facts_of(facts, "involved")
        if not travellers:
            return [({**shared, "traveller": ""}, behind)]
        found: dict[str, tuple[dict[str, Any], list[Fact]]] = {}
        for fact in travellers:
            who = self._canonical.get(fact.value, fact.value)
            _, facts_behind = found.setdefault(who, ({**shared, "traveller": who}, [*behind]))
            facts_behind.append(fact)
        return list(found.values())

    def _place(self, facts: list[Fact], prop: str) -> tuple[str | None, str | None, list[Fact]]:
        """A trip's end as written by its address, and the address's country code."""
        named = facts_of(facts, prop)
        if not named:
            return None, None, []
        ref = self._canonical.get(named[0].value, named[0].value)
        address = self._places.get(ref)
        if address is None:
            return ref[:MAX_PLACE], None, named
        texts = facts_of(address.facts, "full") or facts_of(address.facts, "city")
        countries = facts_of(address.facts, "country")
        text = texts[0].value if texts else ref
        codes = read_countries(countries[0].value).codes if countries else []
        if not codes and texts:
            codes = read_countries(texts[0].value).codes
        country = codes[0] if len(codes) == 1 else None
        return text[:MAX_PLACE], country, [*named, *texts, *countries]
