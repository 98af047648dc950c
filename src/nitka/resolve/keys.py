"""The store's person records, prepared, and their blocking keys: what a new record is
linked against without reading or preparing the store again.

``resolve_record`` keeps each Person source entity's prepared columns
(``prepare``), and ``resolve_key`` its blocking keys: one row per value of each
of the model's blocking columns (``model.BLOCKING``: two words of a name, a
birth date and a word, a document, a phone or e-mail address), prefixed by the
column. Two records meet a blocking rule exactly when they share a key, so the
existing records a new one may be one person with are an index lookup away.

The tables are a reader of the change sequence like the analysis projections
(``nitka.analysis.projection``): their position is the ``resolve`` row of
``analysis_position``; ``catch_up`` (in ``incremental``) prepares again the
entities the change records after it name, and ``rebuild`` makes both tables
from the store. Records are source entities, so a merge or its undo changes
nothing here; an erasure takes an entity's rows out at once, in the erasing
transaction (``nitka.store.projected``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from nitka.effects.follow import Follower, held_position
from nitka.resolve import model
from nitka.resolve.prepare import prepare
from nitka.resolve.records import PERSON
from nitka.resolve.stored import person_records, records_of
from nitka.store.projected import forget_records
from nitka.store.tables import analysis_position, resolve_key, resolve_record, statement

KIND = "resolve"
"""The tables' row in ``analysis_position``."""
PREFIX = {"name_pairs": "n", "birth_keys": "b", "documents": "d", "contacts": "c"}
"""Each blocking column's prefix in ``resolve_key``."""
assert set(PREFIX) == set(model.BLOCKING), "a blocking column without a key prefix"
LONGEST = 255
"""A key is cut to the column's length: a longer document number still blocks, and
the comparison reads the prepared row, not the key."""
CHUNK = 500
"""Values per ``IN`` list."""
WRITE = 5_000
"""Rows per insert."""

Row = dict[str, Any]
"""A prepared record (``prepare.prepare``), ``unique_id`` its source entity id."""


def keys_of(row: Row) -> set[str]:
    """A prepared record's blocking keys."""
    return {
        f"{PREFIX[column]}:{value}"[:LONGEST] for column in model.BLOCKING for value in row[column]
    }


def hold(conn: Connection) -> int | None:
    """The tables' position, locked until the transaction ends; None if never built."""
    return held_position(conn, KIND)


def move_to(conn: Connection, seq: int, *, rebuilt: bool = False) -> None:
    values: dict[str, Any] = {"seq": seq}
    if rebuilt:
        values["rebuilt_at"] = datetime.now(UTC).replace(tzinfo=None)
    conn.execute(update(analysis_position).where(analysis_position.c.kind == KIND).values(**values))


def rebuild(conn: Connection, progress: Callable[[int], None] | None = None) -> int:
    """Make both tables again from every Person in the store; returns the records."""
    hold(conn)
    # The position first: a change committed while the store is read is read again.
    position = Follower.now(conn).seq
    conn.execute(delete(resolve_key))
    conn.execute(delete(resolve_record))
    done = 0
    page: list[Row] = []
    for record in person_records(conn):
        page.append(prepare(record))
        if len(page) >= WRITE:
            write(conn, page)
            done += len(page)
            page = []
            if progress is not None:
                progress(done)
    write(conn, page)
    move_to(conn, position, rebuilt=True)
    return done + len(page)


def refresh(conn: Connection, canonical_ids: Iterable[str]) -> list[Row]:
    """Prepare again the Person source entities of these canonical ids (as change
    records name them); rows of ids that are no Person any more go. Returns the
    prepared rows."""
    named = sorted(set(canonical_ids))
    rows = [prepare(record) for record in records_of(conn, named)]
    forget_records(conn, [*named, *(row["unique_id"] for row in rows)])
    write(conn, rows)
    return rows


def sources(conn: Connection, canonical_ids: Iterable[str]) -> list[str]:
    """The Person source entities of these canonical ids."""
    named = sorted(set(canonical_ids))
    found: set[str] = set()
    for chunk in chunks(named):
        found.update(
            conn.execute(
                select(statement.c.entity_id)
                .where(statement.c.canonical_id.in_(chunk), statement.c.schema == PERSON.name)
                .distinct()
            ).scalars()
        )
    return sorted(found)


def write(conn: Connection, rows: Sequence[Row]) -> None:
    """Insert prepared records and their keys (the caller removed any old ones)."""
    for start in range(0, len(rows), WRITE):
        page = rows[start : start + WRITE]
        conn.execute(insert(resolve_record), [_record(row) for row in page])
        keyed = [{"key": key, "entity_id": row["unique_id"]} for row in page
                 for key in keys_of(row)]  # fmt: skip
        if keyed:
            conn.execute(insert(resolve_key), keyed)


def loaded(conn: Connection, entity_ids: Iterable[str]) -> list[Row]:
    """The prepared rows of these source entities, as kept."""
    found: list[Row] = []
    for chunk in chunks(sorted(set(entity_ids))):
        rows = conn.execute(
            select(resolve_record.c.entity_id, resolve_record.c.prepared).where(
                resolve_record.c.entity_id.in_(chunk)
            )
        )
        found += [{"unique_id": entity_id, **orjson.loads(text)} for entity_id, text in rows]
    return found


def sharing(conn: Connection, rows: Sequence[Row]) -> set[str]:
    """The kept records that share a blocking key with any of these rows."""
    wanted = sorted(set().union(*map(keys_of, rows))) if rows else []
    found: set[str] = set()
    for chunk in chunks(wanted):
        found.update(
            conn.execute(
                select(resolve_key.c.entity_id).where(resolve_key.c.key.in_(chunk)).distinct()
            ).scalars()
        )
    return found


def name_counts(conn: Connection, names: Iterable[str]) -> dict[str, int]:
    """How many kept records have each of these names (``name_tf``)."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(set(names))):
        rows = conn.execute(
            select(resolve_record.c.name_tf, func.count())
            .where(resolve_record.c.name_tf.in_(chunk))
            .group_by(resolve_record.c.name_tf)
        )
        found.update((name, int(n)) for name, n in rows)
    return found


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(resolve_record)).scalar_one())


def _record(row: Row) -> dict[str, Any]:
    prepared = {key: value for key, value in row.items() if key != "unique_id"}
    name = row["name_tf"]
    return {
        "entity_id": row["unique_id"],
        "name_tf": None if name is None else name[:LONGEST],
        "prepared": orjson.dumps(prepared).decode("utf-8"),
    }


def chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
