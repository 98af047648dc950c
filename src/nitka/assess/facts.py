"""A case's facts as docs/thb-case-data.md keeps them, read from its statements.

``CaseFacts`` holds the entities of one case as one viewer may see them and
answers the questions the legal criteria ask: the groups, their members and roles,
the trafficking events with their codes, countries and dates, victims and suspects,
criminal cases and the penalty they carry, payments. Every answer keeps the ids of
the statements it rests on, so that a criterion shows its evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from followthemoney import model

from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import ENTITY_PROP, PoliceStatement

SUSPECTS = frozenset({DataSubjectCategory.SUSPECT, DataSubjectCategory.CONVICTED})
THB_PREFIXES = ("act:", "means:", "exploitation:")
"""Keywords that make an Event a trafficking event (its act, means or purpose)."""


@dataclass(frozen=True)
class Value:
    value: str
    statement_id: str


@dataclass
class Entity:
    """One entity of the case: its values by property, each with its statement's id."""

    id: str
    schema: str
    props: dict[str, list[Value]] = field(default_factory=dict)
    categories: set[DataSubjectCategory] = field(default_factory=set)
    statement_ids: list[str] = field(default_factory=list)

    def values(self, prop: str) -> list[str]:
        return list(dict.fromkeys(v.value for v in self.props.get(prop, [])))

    def evidence(self, prop: str, value: str | None = None) -> list[str]:
        return [v.statement_id for v in self.props.get(prop, []) if value in (None, v.value)]

    def codes(self, prefix: str) -> dict[str, list[str]]:
        """``keywords`` codes with this prefix (``act:``), lower case, to their statements."""
        found: dict[str, list[str]] = {}
        for item in self.props.get("keywords", []):
            text = item.value.strip().lower()
            if text.startswith(prefix):
                found.setdefault(text[len(prefix) :], []).append(item.statement_id)
        return found

    def has_keyword(self, word: str) -> list[str]:
        return [
            v.statement_id
            for v in self.props.get("keywords", [])
            if v.value.strip().lower() == word
        ]

    def is_a(self, schema: str) -> bool:
        found = model.get(self.schema)
        return found is not None and found.is_a(schema)

    def dates(self) -> list[tuple[date, str]]:
        """The entity's dates (``date``, ``startDate``, ``endDate``), with their statements."""
        found = []
        for prop in ("date", "startDate", "endDate"):
            for item in self.props.get(prop, []):
                parsed = parse_date(item.value)
                if parsed is not None:
                    found.append((parsed, item.statement_id))
        return found


def parse_date(text: str) -> date | None:
    """A date of FtM's prefixes (``2024``, ``2024-05``, ``2024-05-17...``), its first day."""
    parts = text[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


@dataclass
class CaseFacts:
    case_id: str
    entities: dict[str, Entity]
    withheld: int = 0
    """Entities of the case the viewer sees as protected placeholders (victims'
    details): a criterion that needs them may read unknown for this viewer."""

    @classmethod
    def of(
        cls,
        case_id: str,
        entities: Iterable[tuple[str, str, Sequence[PoliceStatement]]],
        withheld: int = 0,
    ) -> CaseFacts:
        found: dict[str, Entity] = {}
        for entity_id, schema, statements in entities:
            entity = Entity(entity_id, schema)
            for stmt in statements:
                entity.categories.add(stmt.category)
                entity.statement_ids.append(stmt.id)
                if stmt.prop != ENTITY_PROP:
                    entity.props.setdefault(stmt.prop, []).append(Value(stmt.value, stmt.id))
            found[entity_id] = entity
        return cls(case_id, found, withheld)

    def of_schema(self, schema: str) -> list[Entity]:
        return [e for e in sorted(self.entities.values(), key=lambda e: e.id) if e.is_a(schema)]

    def groups(self) -> list[Entity]:
        """Organised crime groups: Organizations with the topic ``crime``."""
        return [o for o in self.of_schema("Organization") if "crime" in o.values("topics")]

    def memberships(self) -> list[Entity]:
        """Memberships in the case's groups."""
        ids = {g.id for g in self.groups()}
        return [m for m in self.of_schema("Membership") if set(m.values("organization")) & ids]

    def events(self) -> list[Entity]:
        """Trafficking events: Events with an act, means or purpose code."""
        return [
            e for e in self.of_schema("Event") if any(e.codes(prefix) for prefix in THB_PREFIXES)
        ]

    def suspects(self) -> dict[str, list[str]]:
        """Persons of the group or suspected in the case, to the statements that say so:
        members of its groups, persons of category suspect or convicted."""
        found: dict[str, list[str]] = {}
        for membership in self.memberships():
            for member in membership.values("member"):
                found.setdefault(member, []).extend(membership.evidence("member", member))
        for person in self.of_schema("Person"):
            if person.categories & SUSPECTS:
                found.setdefault(person.id, []).extend(person.evidence("name") or [person.id])
        return found

    def victims(self) -> list[Entity]:
        return [p for p in self.of_schema("Person") if DataSubjectCategory.VICTIM in p.categories]

    def countries(self, entities: Iterable[Entity], prop: str = "country") -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for entity in entities:
            for value in entity.values(prop):
                found.setdefault(value.lower(), []).extend(entity.evidence(prop, value))
        return found
