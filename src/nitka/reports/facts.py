"""THB case facts read from the statements, as docs/thb-case-data.md keeps them,
with need-to-know applied in the query: only statements the viewer may see are
read (``nitka.access.visibility``: the case's members, the lists shared with the
viewer's unit, and victims' statements only for investigators and supervisors).

Three queries, whatever the store's size: the events, court cases and their
parties; the persons of category victim, suspect or convicted with the
properties the tables count; nothing else is read. Entities are taken by their
canonical id, so merged records count once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection, Result
from sqlalchemy.sql.elements import ColumnElement

from nitka.access.visibility import PROTECTED_READERS, Viewer
from nitka.model.handling import DataSubjectCategory
from nitka.reports.codes import OFFENDER_CATEGORIES, VICTIM_CATEGORY
from nitka.store.tables import statement

EVENT_PROPS = ("keywords", "date", "startDate", "involved", "country")
COURT_PROPS = ("fileDate", "country", "category", "party", "case", "role", "status", "date")
PERSON_PROPS = ("gender", "birthDate", "nationality", "keywords")
PERSON_CATEGORIES = (VICTIM_CATEGORY, *OFFENDER_CATEGORIES)
PARTITION = 10_000


@dataclass
class Entity:
    """An entity's visible values by property, and the categories of its statements."""

    id: str
    schema: str
    values: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    categories: set[str] = field(default_factory=set)
    first_seen: str | None = None

    def get(self, prop: str) -> set[str]:
        return self.values.get(prop, set())

    def first(self, prop: str) -> str | None:
        found = sorted(self.get(prop))
        return found[0] if found else None

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
    seen = _visible(viewer)
    canonical: dict[str, str] = {}
    others = _entities(
        conn.execute(
            _columns().where(
                statement.c.schema.in_(("Event", "CourtCase", "CourtCaseParty")),
                statement.c.prop.in_(sorted({*EVENT_PROPS, *COURT_PROPS})),
                *seen,
            )
        ),
        canonical,
    )
    marked = (
        select(statement.c.canonical_id)
        .where(
            statement.c.schema == "Person",
            statement.c.category.in_(PERSON_CATEGORIES),
            *seen,
        )
        .scalar_subquery()
    )
    persons = _entities(
        conn.execute(
            _columns().where(
                statement.c.schema == "Person",
                statement.c.canonical_id.in_(marked),
                *seen,
            )
        ),
        canonical,
        props=frozenset(PERSON_PROPS),
    )
    by_schema: dict[str, list[Entity]] = defaultdict(list)
    for entity in others.values():
        by_schema[entity.schema].append(entity)
    return Facts(
        events=by_schema["Event"],
        court_cases=by_schema["CourtCase"],
        parties=by_schema["CourtCaseParty"],
        persons={k: p for k, p in persons.items() if p.categories & set(PERSON_CATEGORIES)},
        canonical=canonical,
    )


def _columns() -> Any:
    s = statement.c
    return select(s.canonical_id, s.entity_id, s.schema, s.prop, s.value, s.category, s.first_seen)


def _visible(viewer: Viewer | None) -> list[ColumnElement[bool]]:
    """The need-to-know rules of ``Viewer.may_see`` as conditions on the statements."""
    if viewer is None:
        return []
    s = statement.c
    cases = sorted(viewer.cases)
    conditions: list[ColumnElement[bool]] = [
        or_(s.case_id.is_(None), s.case_id.in_(cases)) if cases else s.case_id.is_(None)
    ]
    if viewer.hidden_lists:
        conditions.append(s.dataset.not_in(sorted(viewer.hidden_lists)))
    if viewer.role not in PROTECTED_READERS:
        protected = [c.value for c in DataSubjectCategory if c.is_protected]
        conditions.append(s.category.not_in(protected))
    return [and_(*conditions)]


def _entities(
    result: Result[Any], canonical: dict[str, str], props: frozenset[str] | None = None
) -> dict[str, Entity]:
    """Rows grouped into entities; read in partitions of plain tuples, which is most of
    the report's time on a large store."""
    found: dict[str, Entity] = {}
    parts: Any = result.partitions(PARTITION)
    for part in parts:
        for canonical_id, entity_id, schema, prop, value, category, first_seen in part:
            canonical[entity_id] = canonical_id
            entity = found.get(canonical_id)
            if entity is None:
                entity = found[canonical_id] = Entity(canonical_id, schema)
            entity.categories.add(category)
            if first_seen and (entity.first_seen is None or first_seen < entity.first_seen):
                entity.first_seen = first_seen
            if props is None or prop in props:
                entity.values[prop].add(value)
    return found
