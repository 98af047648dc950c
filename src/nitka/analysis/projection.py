"""Projections: typed tables derived from the statements, kept current by following
the change sequence.

A projection (calls, payments) turns each entity of its schema into one row of
its table, or into a reject naming the property and the reason. Its rows are
never written by hand:

- ``rebuild`` makes the table again from every statement in the store;
- ``catch_up`` reads the change records (``nitka.effects.follow``) after the
  position the projection last took in (``analysis_position``) and projects
  again the entities they name: an ingest's new calls come in, an erased call
  goes, a merge's old ids go and the new one comes. A projection that was
  never built, or is far behind, is rebuilt instead.

Both run in the caller's transaction, so a query that catches up and then reads
sees one state, and a failed one leaves the projection where it was. On
PostgreSQL the position's row is locked first, so two readers do not project
the same changes at once; SQLite serialises writers anyway. A projection that
is already at the newest change is read without the lock, so that queries of
one kind run side by side.

Each row names its scope: the sources of the statements behind it, so that a
reader sees only rows all of whose statements it may see (``scopes``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from followthemoney.schema import Schema
from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from nitka.analysis.readings import Fact, RejectedError
from nitka.analysis.scopes import Scopes, Source
from nitka.effects.follow import Follower, held_position
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import ENTITY_PROP
from nitka.store.reader import schema_of
from nitka.store.tables import analysis_position, analysis_reject, resolved_entity, statement

Progress = Callable[[int, int], None]
"""Told how many entities are done of how many, while a projection is rebuilt."""
PAGE = 2_000
"""Entities projected at a time."""
CHUNK = 500
"""Ids per ``IN`` list."""
REBUILD_ABOVE = 100_000
"""Changed entities beyond which a catch-up rebuilds the whole table instead: reading
the store in order is faster than looking up that many entities one page at a time."""
MAX_RECORDS = 20
"""Source records kept with a reject (an entity merged from many keeps the first)."""
_PROTECTED = {category.value: category.is_protected for category in DataSubjectCategory}


@dataclass
class Entity:
    """An entity as a projection reads it: its canonical id, schema and facts."""

    id: str
    schema: Schema
    facts: list[Fact]


@dataclass(frozen=True)
class Projected:
    """What a rebuild or a catch-up did."""

    projected: int = 0
    """Entities projected into rows."""
    rejected: int = 0
    removed: int = 0
    """Rows and rejects taken out before projecting again (a catch-up)."""
    rebuilt: bool = False


class Projection(ABC):
    """One kind of projected row: what it reads and how it makes a row of an entity."""

    kind: ClassVar[str]
    """The name of the projection (``calls``): in ``analysis_position`` and rejects."""
    table: ClassVar[Table]
    schema: ClassVar[str]
    """The FtM schema projected; entities of schemata that extend it are too."""
    props: ClassVar[tuple[str, ...]]
    """The properties read: the statements that may stand behind a row."""

    @abstractmethod
    def row(self, entity: Entity) -> tuple[dict[str, Any], list[Fact]]:
        """The row's values (without ``id`` and ``scope``) and the facts behind them;
        raises ``RejectedError`` for an entity that cannot be taken in."""

    def rows(self, entity: Entity) -> list[tuple[dict[str, Any], list[Fact]]]:
        """Every row of one entity: one (``row``), unless a kind keeps several (a trip,
        one per traveller). Each row's id is the entity's, so they go and come together."""
        return [self.row(entity)]

    def prepare(self, conn: Connection, entities: Sequence[Entity]) -> None:
        """Load what the rows of these entities need from other entities (an account's
        number); called before ``row`` for each page. Nothing, unless a row reads
        other entities."""
        return

    def dependents(self, conn: Connection, ids: Collection[str]) -> set[str]:
        """Entities whose rows read these other entities, to be projected again when
        these change."""
        return set()

    def reject_facts(self, entity: Entity) -> list[Fact]:
        """The facts a reject of this entity shows (who may see the reject)."""
        return entity.facts


def catch_up(
    conn: Connection, projection: Projection, progress: Progress | None = None
) -> Projected:
    """Take in the changes recorded since the projection's position; rebuild it when it
    was never built or is more than ``REBUILD_ABOVE`` entities behind.

    A projection already at the newest change is read as it is, without taking its
    position's lock: queries of one kind wait for each other only while there is
    something to take in, not on every read."""
    known = _peek(conn, projection.kind)
    if known is not None and known >= 0 and known == Follower.now(conn).seq:
        return Projected()
    position = held_position(conn, projection.kind)
    if position is None:
        return rebuild(conn, projection, progress)
    follower = Follower(position)
    changed = follower.changed(conn)
    if len(changed) > REBUILD_ABOVE:
        return rebuild(conn, projection, progress)
    outcome = refresh(conn, projection, changed, progress)
    if follower.seq != position:
        conn.execute(
            update(analysis_position)
            .where(analysis_position.c.kind == projection.kind)
            .values(seq=follower.seq)
        )
    return outcome


def rebuild(
    conn: Connection, projection: Projection, progress: Progress | None = None
) -> Projected:
    """Make the projection again from every statement of its schema in the store."""
    held_position(conn, projection.kind)
    # The position first: a change committed while the store is read is read again.
    position = Follower.now(conn).seq
    conn.execute(delete(projection.table))
    conn.execute(delete(analysis_reject).where(analysis_reject.c.kind == projection.kind))
    entities = (
        select(statement.c.canonical_id)
        .where(statement.c.schema == projection.schema)
        .where(statement.c.prop == ENTITY_PROP)
    )
    total = conn.execute(
        select(func.count()).select_from(entities.distinct().subquery())
    ).scalar_one()
    scopes = Scopes(conn)
    done = projected = rejected = 0
    after = ""
    while True:
        page = list(
            conn.execute(
                entities.where(statement.c.canonical_id > after)
                .distinct()
                .order_by(statement.c.canonical_id)
                .limit(PAGE)
            ).scalars()
        )
        if not page:
            break
        rows, rejects = _project(conn, projection, page, scopes)
        projected, rejected, done = projected + rows, rejected + rejects, done + len(page)
        after = page[-1]
        if progress is not None:
            progress(done, max(total, done))
    conn.execute(
        update(analysis_position)
        .where(analysis_position.c.kind == projection.kind)
        .values(seq=position, rebuilt_at=_now())
    )
    return Projected(projected, rejected, rebuilt=True)


def refresh(
    conn: Connection,
    projection: Projection,
    ids: Iterable[str],
    progress: Progress | None = None,
) -> Projected:
    """Project these entities again (canonical ids, or ids merged into one): their rows
    and rejects go, and come back from the statements as they are now. Rows that read
    them (a payment reading an account) are projected again too."""
    named = set(ids)
    if not named:
        return Projected()
    named |= projection.dependents(conn, named)
    targets = sorted(named | _canonical_now(conn, named))
    removed = 0
    for chunk in _chunks(targets, CHUNK):
        removed += conn.execute(
            delete(projection.table).where(projection.table.c.id.in_(chunk))
        ).rowcount
        removed += conn.execute(
            delete(analysis_reject)
            .where(analysis_reject.c.kind == projection.kind)
            .where(analysis_reject.c.entity_id.in_(chunk))
        ).rowcount
    scopes = Scopes(conn)
    projected = rejected = 0
    for done, page in enumerate(_chunks(targets, PAGE), start=1):
        rows, rejects = _project(conn, projection, page, scopes)
        projected, rejected = projected + rows, rejected + rejects
        if progress is not None:
            progress(min(done * PAGE, len(targets)), len(targets))
    return Projected(projected, rejected, removed)


def load_entities(
    conn: Connection, ids: Sequence[str], props: Iterable[str], schema: str | None = None
) -> list[Entity]:
    """The entities with these canonical ids and their facts of these properties; with
    ``schema``, only those of that schema (or one extending it)."""
    wanted = (*props, ENTITY_PROP)
    schemata: dict[str, list[str]] = {}
    facts: dict[str, list[Fact]] = {}
    for chunk in _chunks(list(ids), CHUNK):
        rows = conn.execute(
            select(
                statement.c.canonical_id,
                statement.c.schema,
                statement.c.prop,
                statement.c.value,
                statement.c.case_id,
                statement.c.dataset,
                statement.c.category,
                statement.c.origin,
            )
            .where(statement.c.canonical_id.in_(chunk))
            .where(statement.c.prop.in_(wanted))
            .order_by(statement.c.canonical_id, statement.c.id)
        )
        for canonical_id, schema_name, prop, value, case, dataset, category, origin in rows:
            schemata.setdefault(canonical_id, []).append(schema_name)
            if prop != ENTITY_PROP:
                protected = _PROTECTED.get(category, False)
                fact = Fact(prop, value, case, dataset, protected, origin)
                facts.setdefault(canonical_id, []).append(fact)
    found: list[Entity] = []
    for canonical_id, names in schemata.items():
        entity_schema = schema_of(names)
        if schema is None or entity_schema.is_a(schema):
            found.append(Entity(canonical_id, entity_schema, facts.get(canonical_id, [])))
    return found


def scope_of(facts: Iterable[Fact]) -> frozenset[Source]:
    return frozenset(Source(f.case, f.dataset, f.protected) for f in facts)


def _project(
    conn: Connection, projection: Projection, ids: Sequence[str], scopes: Scopes
) -> tuple[int, int]:
    """Project one page of entities; returns how many became rows and rejects."""
    entities = load_entities(conn, ids, projection.props, projection.schema)
    projection.prepare(conn, entities)
    rows: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    noted_at = _now()
    for entity in entities:
        try:
            made = projection.rows(entity)
        except RejectedError as reject:
            shown = projection.reject_facts(entity)
            origins = sorted({fact.origin for fact in shown if fact.origin})
            rejects.append(
                {
                    "kind": projection.kind,
                    "entity_id": entity.id,
                    "field": reject.field,
                    "value": reject.value,
                    "reason": reject.reason,
                    "records": "\n".join(origins[:MAX_RECORDS]),
                    "scope": scopes.id_of(scope_of(shown)),
                    "noted_at": noted_at,
                }
            )
            continue
        for values, behind in made:
            rows.append({**values, "id": entity.id, "scope": scopes.id_of(scope_of(behind))})
    if rows:
        conn.execute(insert(projection.table), rows)
    if rejects:
        conn.execute(insert(analysis_reject), rejects)
    return len(rows), len(rejects)


def _peek(conn: Connection, kind: str) -> int | None:
    """The projection's position as committed, without a lock; None if it has no row."""
    found = conn.execute(select(analysis_position.c.seq).where(analysis_position.c.kind == kind))
    seq: int | None = found.scalar_one_or_none()
    return seq


def _canonical_now(conn: Connection, ids: Collection[str]) -> set[str]:
    """The canonical ids these ids belong to now (a merge's new id for its members)."""
    found: set[str] = set()
    for chunk in _chunks(sorted(ids), CHUNK):
        found.update(
            conn.execute(
                select(resolved_entity.c.canonical_id).where(resolved_entity.c.entity_id.in_(chunk))
            ).scalars()
        )
    return found


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class RejectedEntity:
    """An entity a projection could not take in, as the rejects list shows it."""

    entity_id: str
    field: str
    value: str
    reason: str
    records: tuple[str, ...] = ()
    """Where its statements came from: the source file and record (``bank.csv:3``)."""

    def as_dict(self) -> dict[str, Any]:
        return {"entity": self.entity_id, "records": list(self.records), "field": self.field,
                "value": self.value, "reason": self.reason}  # fmt: skip


def rejects_of(
    conn: Connection, kind: str, scopes: Sequence[int] | None, *, limit: int = 1000
) -> list[RejectedEntity]:
    """The entities this projection rejected, among those the scopes let be seen."""
    if scopes is not None and not scopes:
        return []
    table = analysis_reject.c
    query = (
        select(table.entity_id, table.field, table.value, table.reason, table.records)
        .where(table.kind == kind)
        .order_by(table.entity_id)
        .limit(limit)
    )
    if scopes is not None:
        query = query.where(table.scope.in_(scopes))
    return [
        RejectedEntity(entity_id, field, value, reason, tuple(filter(None, records.split("\n"))))
        for entity_id, field, value, reason, records in conn.execute(query)
    ]
