"""THB case facts read from the statements, as docs/thb-case-data.md keeps them,
with need-to-know applied in the query: only statements the viewer may see are
read (``nitka.access.visibility``: the case's members, the lists shared with the
viewer's unit, and victims' statements only for investigators and supervisors).

Two queries, whatever the store's size: the events, court cases and their
parties; the persons of category victim, suspect or convicted with the
properties the tables count. Entities are taken by their canonical id, so
merged records count once.

On a large store the report's time is reading these rows (a million entities:
over a million of them), so they are read as the driver gives them, with only
the columns used, into small slotted objects; the service reads them with the
cycle collector paused (``nitka.ingest.collector``): its full passes over the
growing heap cost more than the reading itself, and the facts hold no cycles.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.visibility import PROTECTED_READERS, Viewer
from nitka.model.handling import DataSubjectCategory
from nitka.reports.codes import OFFENDER_CATEGORIES, VICTIM_CATEGORY
from nitka.store.db import in_marks

EVENT_PROPS = ("keywords", "date", "startDate", "involved", "country")
COURT_PROPS = ("fileDate", "country", "party", "role", "status", "date")
"""What the tables count of court cases (``fileDate``, ``country``) and their
parties (``party``, ``role``, ``status``, ``date`` or ``startDate``)."""
PERSON_PROPS = ("gender", "birthDate", "nationality", "keywords")
PERSON_CATEGORIES = (VICTIM_CATEGORY, *OFFENDER_CATEGORIES)
MARKED = frozenset(PERSON_CATEGORIES)
OTHER_SCHEMATA = ("Event", "CourtCase", "CourtCaseParty")
PARTITION = 10_000
EMPTY: frozenset[str] = frozenset()


@dataclass(slots=True)
class Entity:
    """An entity's visible values by property, and the categories of its statements."""

    id: str
    schema: str
    values: dict[str, set[str]] = field(default_factory=dict)
    categories: set[str] = field(default_factory=set)
    first_seen: str | None = None

    def get(self, prop: str) -> AbstractSet[str]:
        return self.values.get(prop, EMPTY)

    def first(self, prop: str) -> str | None:
        found = self.values.get(prop)
        return min(found) if found else None

    def keywords(self, prefix: str) -> set[str]:
        """The codes of ``keywords`` ``<prefix>:<code>``, lower case."""
        start = f"{prefix}:"
        return {k[len(start) :].lower() for k in self.get("keywords") if k.startswith(start)}


@dataclass
class Facts:
    events: list[Entity]
    court_cases: list[Entity]
    parties: list[Entity]
    persons: dict[str, Entity]
    """Victims, suspects and convicted persons by canonical id."""
    canonical: dict[str, str]
    """Entity id to canonical id, for the entity values (``involved``, ``party``)."""

    def person(self, entity_id: str) -> Entity | None:
        return self.persons.get(self.canonical.get(entity_id, entity_id))


def read_facts(conn: Connection, viewer: Viewer | None) -> Facts:
    """Every THB fact the viewer may see (None: a local operator, who sees all)."""
    seen, seen_params = _visible(conn, viewer)
    canonical: dict[str, str] = {}
    props = sorted({*EVENT_PROPS, *COURT_PROPS})
    others_sql = (
        "SELECT canonical_id, entity_id, schema, prop, value FROM statement"
        f" WHERE schema IN ({in_marks(conn, len(OTHER_SCHEMATA))})"
        f" AND prop IN ({in_marks(conn, len(props))}){seen}"
    )
    marks = in_marks(conn, 1)
    persons_sql = (
        "SELECT canonical_id, entity_id, prop, value, category, first_seen FROM statement"
        f" WHERE schema = {marks} AND canonical_id IN (SELECT canonical_id FROM statement"
        f" WHERE schema = {marks} AND category IN ({in_marks(conn, len(PERSON_CATEGORIES))})"
        f"{seen}){seen}"
    )
    persons_params = ["Person", "Person", *PERSON_CATEGORIES, *seen_params, *seen_params]
    others = _others(_rows(conn, others_sql, [*OTHER_SCHEMATA, *props, *seen_params]), canonical)
    persons = _persons(_rows(conn, persons_sql, persons_params), canonical)
    by_schema: dict[str, list[Entity]] = {schema: [] for schema in OTHER_SCHEMATA}
    for entity in others.values():
        by_schema[entity.schema].append(entity)
    return Facts(
        events=by_schema["Event"],
        court_cases=by_schema["CourtCase"],
        parties=by_schema["CourtCaseParty"],
        persons={k: p for k, p in persons.items() if p.categories & MARKED},
        canonical=canonical,
    )


def _others(rows: Iterator[tuple[Any, ...]], canonical: dict[str, str]) -> dict[str, Entity]:
    """Events, court cases and parties by canonical id."""
    found: dict[str, Entity] = {}
    for canonical_id, entity_id, schema, prop, value in rows:
        canonical[entity_id] = canonical_id
        entity = found.get(canonical_id)
        if entity is None:
            entity = found[canonical_id] = Entity(canonical_id, schema)
        _add(entity.values, prop, value)
    return found


def _persons(rows: Iterator[tuple[Any, ...]], canonical: dict[str, str]) -> dict[str, Entity]:
    """Persons by canonical id: the categories and earliest ``first_seen`` of all
    their statements, the values of ``PERSON_PROPS``."""
    found: dict[str, Entity] = {}
    wanted = frozenset(PERSON_PROPS)
    for canonical_id, entity_id, prop, value, category, first_seen in rows:
        canonical[entity_id] = canonical_id
        entity = found.get(canonical_id)
        if entity is None:
            entity = found[canonical_id] = Entity(canonical_id, "Person")
        entity.categories.add(category)
        if first_seen and (entity.first_seen is None or first_seen < entity.first_seen):
            entity.first_seen = first_seen
        if prop in wanted:
            _add(entity.values, prop, value)
    return found


def _add(values: dict[str, set[str]], prop: str, value: str) -> None:
    found = values.get(prop)
    if found is None:
        values[prop] = {value}
    else:
        found.add(value)


def _rows(conn: Connection, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of SQL written for the driver, as the driver's tuples, a partition at a
    time: SQLAlchemy's row objects would cost a third of the reading."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        while part := cursor.fetchmany(PARTITION):
            yield from part
    finally:
        cursor.close()


def _visible(conn: Connection, viewer: Viewer | None) -> tuple[str, list[str]]:
    """The need-to-know rules of ``Viewer.may_see`` as conditions on the statements
    (SQL that starts with `` AND``, and its parameters)."""
    if viewer is None:
        return "", []
    cases = sorted(viewer.cases)
    params: list[str] = [*cases]
    sql = (
        f" AND (case_id IS NULL OR case_id IN ({in_marks(conn, len(cases))}))"
        if cases
        else " AND case_id IS NULL"
    )
    if viewer.hidden_lists:
        hidden = sorted(viewer.hidden_lists)
        sql += f" AND dataset NOT IN ({in_marks(conn, len(hidden))})"
        params += hidden
    if viewer.role not in PROTECTED_READERS:
        protected = [c.value for c in DataSubjectCategory if c.is_protected]
        sql += f" AND category NOT IN ({in_marks(conn, len(protected))})"
        params += protected
    return sql, params
