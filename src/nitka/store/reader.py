"""Reading entities back: statements grouped into FtM entities, with provenance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from followthemoney import EntityProxy, model
from followthemoney.exc import InvalidData
from followthemoney.schema import Schema
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from nitka.model.grading import Credibility, Reliability
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import ENTITY_PROP, PoliceStatement
from nitka.store.tables import resolved_entity, statement


@dataclass
class StoredEntity:
    """An entity as the store knows it: the merged view and every statement behind it."""

    id: str
    """The canonical id (the entity's own id unless it was merged)."""
    schema: Schema
    statements: list[PoliceStatement]

    @property
    def members(self) -> list[str]:
        """The source entity ids merged into this one."""
        return sorted({s.entity_id for s in self.statements})

    @property
    def datasets(self) -> list[str]:
        return sorted({s.dataset for s in self.statements})

    def proxy(self) -> EntityProxy:
        """The FtM entity: every property value of every statement."""
        proxy = model.make_entity(self.schema)
        proxy.id = self.id
        for stmt in self.statements:
            if stmt.prop == ENTITY_PROP or stmt.prop not in self.schema.properties:
                continue
            proxy.unsafe_add(self.schema.properties[stmt.prop], stmt.value, cleaned=True)
        return proxy

    @property
    def caption(self) -> str:
        return self.proxy().caption


_RELIABILITY = {member.value: member for member in Reliability}
_CREDIBILITY = {member.value: member for member in Credibility}
_CATEGORY = {member.value: member for member in DataSubjectCategory}
_HANDLING = {member.value: member for member in HandlingCode}
"""Codes to their enum members: a dictionary lookup costs a tenth of calling the enum,
and a store read makes four per statement."""


_COLUMNS = tuple(column.name for column in statement.columns)


def statement_from_row(row: Sequence[Any]) -> PoliceStatement:
    """A statement from a row of ``select(statement)`` (all columns, in table order)."""
    (
        statement_id, entity_id, canonical_id, schema, prop, _prop_type, value, original_value,
        lang, dataset, origin, first_seen, last_seen, reliability, credibility, category,
        handling, handling_note, case_id, assessment, author,
    ) = row  # fmt: skip
    # Unpacked by position: reading twenty attributes of a Row by name costs
    # as much again as the query when an index is loaded from the store.
    return PoliceStatement(
        id=statement_id,
        entity_id=entity_id,
        canonical_id=canonical_id,
        schema=schema,
        prop=prop,
        value=value,
        original_value=original_value,
        lang=lang,
        dataset=dataset,
        origin=origin,
        first_seen=first_seen,
        last_seen=last_seen,
        reliability=_RELIABILITY[reliability],
        credibility=_CREDIBILITY[credibility],
        category=_CATEGORY[category],
        handling=_HANDLING[handling],
        handling_note=handling_note,
        case=case_id,
        assessment=bool(assessment),
        author=author,
    )


def canonical_of(conn: Connection, entity_id: str) -> str:
    """The canonical id an entity id resolves to (itself unless merged)."""
    found = conn.execute(
        select(resolved_entity.c.canonical_id).where(resolved_entity.c.entity_id == entity_id)
    ).scalar()
    return found or entity_id


def cluster_ids(conn: Connection, entity_id: str) -> set[str]:
    """The id, its canonical id and every member merged into it: one person or thing."""
    canonical_id = canonical_of(conn, entity_id)
    members = conn.execute(
        select(resolved_entity.c.entity_id).where(resolved_entity.c.canonical_id == canonical_id)
    ).scalars()
    return {entity_id, canonical_id, *members}


def common_schema(statements: Iterable[PoliceStatement]) -> Schema:
    """The most specific schema all statements agree on (see ``schema_of``)."""
    return schema_of(stmt.schema for stmt in statements)


def schema_of(names: Iterable[str]) -> Schema:
    """The most specific schema these schema names agree on.

    Where sources disagree beyond repair (a Person in one, a Company in the
    other) the first schema is kept: the statements themselves stay as they were.
    """
    schema: Schema | None = None
    for name in dict.fromkeys(names):
        other = model.get(name)
        if other is None:
            continue
        if schema is None:
            schema = other
            continue
        try:
            schema = model.common_schema(schema, other)
        except InvalidData:
            continue
    return schema or model.get("Thing")  # type: ignore[return-value]


def get_entity(conn: Connection, entity_id: str) -> StoredEntity | None:
    """The entity with this id, or the merged entity it is now part of."""
    canonical_id = canonical_of(conn, entity_id)
    rows = conn.execute(
        select(statement).where(statement.c.canonical_id == canonical_id).order_by(statement.c.id)
    ).all()
    if not rows:
        return None
    statements = [statement_from_row(row) for row in rows]
    return StoredEntity(canonical_id, common_schema(statements), statements)


def get_entities(conn: Connection, canonical_ids: Sequence[str]) -> dict[str, StoredEntity]:
    """Several entities at once, by canonical id."""
    grouped: dict[str, list[PoliceStatement]] = {}
    for chunk_start in range(0, len(canonical_ids), 500):
        chunk = list(canonical_ids[chunk_start : chunk_start + 500])
        rows = conn.execute(select(statement).where(statement.c.canonical_id.in_(chunk)))
        for row in rows:
            grouped.setdefault(row.canonical_id, []).append(statement_from_row(row))
    return {
        cid: StoredEntity(cid, common_schema(stmts), sorted(stmts, key=lambda s: s.id))
        for cid, stmts in grouped.items()
    }


def iter_entities(conn: Connection, batch: int = 10_000) -> Iterator[StoredEntity]:
    """Every entity in the store, in canonical id order, streamed."""
    # Options on the statement, not the connection: a connection's options stay
    # set for whatever the caller runs on it next (an audit record's UPDATE).
    rows = conn.execute(
        select(statement)
        .order_by(statement.c.canonical_id, statement.c.id)
        .execution_options(stream_results=True, yield_per=batch)
    )
    current: list[PoliceStatement] = []
    for row in rows:
        stmt = statement_from_row(row)
        if current and current[0].canonical_id != stmt.canonical_id:
            yield StoredEntity(current[0].canonical_id or "", common_schema(current), current)
            current = []
        current.append(stmt)
    if current:
        yield StoredEntity(current[0].canonical_id or "", common_schema(current), current)


def count_by_schema(conn: Connection) -> dict[str, int]:
    """How many entities of each schema the store holds (merged entities count once)."""
    rows = conn.execute(
        select(statement.c.schema, func.count(func.distinct(statement.c.canonical_id)))
        .where(statement.c.prop == ENTITY_PROP)
        .group_by(statement.c.schema)
        .order_by(statement.c.schema)
    )
    return {key: value for key, value in rows}  # noqa: C416 (Row, not tuple)


def count_handled(conn: Connection, code: HandlingCode) -> int:
    """How many statements carry this handling code."""
    found = conn.execute(
        select(func.count()).select_from(statement).where(statement.c.handling == code.value)
    )
    return int(found.scalar_one())


def count_statements(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(statement)).scalar_one()


def case_entity_ids(
    conn: Connection, case_id: str, *, limit: int, schemata_left_out: tuple[str, ...] = ()
) -> list[str]:
    """Canonical ids of entities with statements of the case (at most ``limit``)."""
    query = select(statement.c.canonical_id).where(statement.c.case_id == case_id)
    if schemata_left_out:
        query = query.where(statement.c.schema.not_in(schemata_left_out))
    return list(conn.execute(query.distinct().limit(limit)).scalars())
