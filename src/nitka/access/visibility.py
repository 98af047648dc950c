"""Need-to-know: which statements a user may see.

The rules (Directive 2016/680, and what a unit asks before it puts real case
data in):

- the auditor and the administrator see no police data at all;
- a statement of a case is seen only by the case's members; a statement of
  no case (a watch list, an open register) by every other role;
- statements about victims, witnesses and informants are seen only by
  investigators and supervisors among those who may see the case; the others
  who may see the case see the entity as a protected placeholder, with no
  name, date or number of the person;
- an entity none of whose statements a user may see does not exist for them.

Every path that shows entities (the API's entity and search routes; more to
come) goes through ``redact``, so that a new path cannot forget the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account, Role
from nitka.access.cases import cases_of
from nitka.model.statement import ENTITY_PROP, PoliceStatement
from nitka.store.reader import StoredEntity

READERS = frozenset({Role.ANALYST, Role.INVESTIGATOR, Role.LIAISON, Role.SUPERVISOR})
"""Roles that read police data at all."""
PROTECTED_READERS = frozenset({Role.INVESTIGATOR, Role.SUPERVISOR})
"""Roles that may see who the victims, witnesses and informants of their cases are."""
PLACEHOLDER = "Protected person"


@dataclass(frozen=True)
class Viewer:
    name: str
    role: Role
    cases: frozenset[str]

    @classmethod
    def of(cls, conn: Connection, account: Account) -> Viewer:
        return cls(account.name, account.role, frozenset(cases_of(conn, account.name)))

    def may_see_case(self, case: str | None) -> bool:
        return self.role in READERS and (case is None or case in self.cases)

    def may_see(self, stmt: PoliceStatement) -> bool:
        if not self.may_see_case(stmt.case):
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

    def caption(self) -> str:
        """The caption of what may be seen; the placeholder if nothing of it may."""
        schema = model.get(self.schema)
        if schema is None or not self.statements:
            return PLACEHOLDER
        proxy = model.make_entity(schema)
        for stmt in self.statements:
            if stmt.prop in schema.properties:
                proxy.unsafe_add(schema.properties[stmt.prop], stmt.value, cleaned=True)
        caption: str = proxy.caption
        return caption

    def as_dict(self) -> dict[str, Any]:
        properties: dict[str, list[str]] = {}
        for stmt in self.statements:
            if stmt.prop != ENTITY_PROP:
                properties.setdefault(stmt.prop, []).append(stmt.value)
        return {
            "id": self.id,
            "schema": self.schema,
            "caption": self.caption(),
            "protected": self.protected,
            "properties": properties,
            "statements": [s.to_dict() for s in self.statements],
        }


def redact(entity: StoredEntity, viewer: Viewer) -> Redacted | None:
    """The entity as the viewer may see it; None if they may see none of it."""
    shown = [s for s in entity.statements if viewer.may_see(s)]
    withheld = [
        s
        for s in entity.statements
        if not viewer.may_see(s) and s.category.is_protected and viewer.may_see_case(s.case)
    ]
    if not shown and not withheld:
        return None
    return Redacted(entity.id, entity.schema.name, shown, protected=bool(withheld))


def redact_all(entities: Sequence[StoredEntity], viewer: Viewer) -> list[Redacted]:
    found = (redact(entity, viewer) for entity in entities)
    return [item for item in found if item is not None]
