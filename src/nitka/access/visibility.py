"""Need-to-know: which statements a user may see.

The rules (Directive 2016/680, and what a unit asks before it puts real case
data in):

- the auditor and the administrator see no police data at all;
- a statement of a case is seen only by the case's members; a statement of
  no case (a watch list, an open register) by every other role;
- a dataset shared with some units only (``nitka.access.shares``) is seen
  only by accounts of those units;
- statements about victims, witnesses and informants are seen only by
  investigators and supervisors among those who may see the case; the others
  who may see the case see the entity as a protected placeholder, with no
  name, date or number of the person;
- an entity none of whose statements a user may see does not exist for them.

Every path that shows entities (the API's entity and search routes; more to
come) goes through ``redact``, so that a new path cannot forget the rules.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from followthemoney import EntityProxy, model
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account, Role
from nitka.access.cases import cases_of
from nitka.access.shares import lists_hidden_from
from nitka.model.handling import HandlingCode
from nitka.model.statement import ENTITY_PROP, PoliceStatement
from nitka.store.reader import StoredEntity

READERS = frozenset({Role.ANALYST, Role.INVESTIGATOR, Role.LIAISON, Role.SUPERVISOR})
"""Roles that read police data at all."""
PROTECTED_READERS = frozenset({Role.INVESTIGATOR, Role.SUPERVISOR})
"""Roles that may see who the victims, witnesses and informants of their cases are."""
PLACEHOLDER = "Protected person"
_STRICTNESS = {code: rank for rank, code in enumerate(HandlingCode)}


@dataclass(frozen=True)
class Viewer:
    name: str
    role: Role
    cases: frozenset[str]
    hidden_lists: frozenset[str] = frozenset()
    """Datasets shared with other units only (``nitka.access.shares``)."""

    @classmethod
    def of(cls, conn: Connection, account: Account) -> Viewer:
        return cls(
            account.name,
            account.role,
            frozenset(cases_of(conn, account.name)),
            lists_hidden_from(conn, account.unit),
        )

    def may_see_case(self, case: str | None) -> bool:
        return self.role in READERS and (case is None or case in self.cases)

    def may_see_source(self, case: str | None, dataset: str) -> bool:
        """Whether statements of this case and dataset are for this viewer at all."""
        return self.may_see_case(case) and dataset not in self.hidden_lists

    def may_see(self, stmt: PoliceStatement) -> bool:
        if not self.may_see_source(stmt.case, stmt.dataset):
            return False
        return not stmt.category.is_protected or self.role in PROTECTED_READERS


@dataclass(frozen=True)
class Redacted:
    """What one user may see of an entity."""

    id: str
    schema: str
    statements: list[PoliceStatement]
    protected: bool
    """Statements about a protected person were withheld: show a placeholder for them."""

    def names(self) -> set[str]:
        return {s.value for s in self.statements if s.prop != ENTITY_PROP}

    def proxy(self) -> EntityProxy:
        """The visible statements as an FtM entity."""
        schema = model.get(self.schema)
        assert schema is not None, self.schema
        proxy = model.make_entity(schema)
        proxy.id = self.id
        for stmt in self.statements:
            if stmt.prop in schema.properties:
                proxy.unsafe_add(schema.properties[stmt.prop], stmt.value, cleaned=True)
        return proxy

    def caption(self) -> str:
        """The caption of what may be seen; the placeholder if nothing of it may."""
        if model.get(self.schema) is None or not self.statements:
            return PLACEHOLDER
        caption: str = self.proxy().caption
        return caption

    def handling(self) -> HandlingCode:
        """The strictest handling code among the visible statements."""
        codes = [s.handling for s in self.statements]
        return max(codes, key=_STRICTNESS.__getitem__, default=HandlingCode.H0)

    def restrictions(self) -> list[str]:
        """The restrictions stated with H3 data: shown wherever the data is."""
        return sorted({s.handling_note for s in self.statements if s.handling_note})

    def as_dict(self) -> dict[str, Any]:
        properties: dict[str, list[str]] = {}
        for stmt in self.statements:
            if stmt.prop != ENTITY_PROP:
                properties.setdefault(stmt.prop, []).append(stmt.value)
        handling = self.handling()
        return {
            "id": self.id,
            "schema": self.schema,
            "caption": self.caption(),
            "protected": self.protected,
            "handling": handling.value,
            "caveats": [f"{handling.value}: {handling.meaning}"]
            + [f"restriction: {note}" for note in self.restrictions()],
            "properties": properties,
            "statements": [s.to_dict() for s in self.statements],
        }

    def ftm_dict(self) -> dict[str, Any]:
        """FtM's entity form, as ``nitka.store.export`` writes it, of what may be seen."""
        data: dict[str, Any] = self.proxy().to_dict()
        data["caption"] = self.caption()
        data["datasets"] = sorted({s.dataset for s in self.statements})
        return data


def redact(entity: StoredEntity, viewer: Viewer) -> Redacted | None:
    """The entity as the viewer may see it; None if they may see none of it."""
    shown = [s for s in entity.statements if viewer.may_see(s)]
    withheld = [
        s
        for s in entity.statements
        if not viewer.may_see(s)
        and s.category.is_protected
        and viewer.may_see_source(s.case, s.dataset)
    ]
    if not shown and not withheld:
        return None
    return Redacted(entity.id, entity.schema.name, shown, protected=bool(withheld))


def redact_all(entities: Sequence[StoredEntity], viewer: Viewer) -> list[Redacted]:
    found = (redact(entity, viewer) for entity in entities)
    return [item for item in found if item is not None]


class Sight(Enum):
    """How much of a screening hit a viewer may see."""

    FULL = "full"
    PLACEHOLDER = "placeholder"
    """That there is a hit, on which of their lists, and its caveats; not who it is."""
    NONE = "none"


def sight_of(viewer: Viewer, sources: Collection[tuple[str | None, str]], protected: bool) -> Sight:
    """How much of a list entry made of statements from these (case, dataset) sources
    the viewer may see: the same rules as ``redact``, for the screening index, which
    keeps entries, not statements."""
    if viewer.role not in READERS:
        return Sight.NONE
    visible = sum(1 for case, dataset in sources if viewer.may_see_source(case, dataset))
    if sources and not visible:
        return Sight.NONE
    if visible < len(sources) or (protected and viewer.role not in PROTECTED_READERS):
        return Sight.PLACEHOLDER
    return Sight.FULL
