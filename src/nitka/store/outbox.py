"""The after-write step: one sequence of changes that every reader follows.

Every committed write that changes what readers see appends a change record
(kind, entity ids, datasets) in the write's own transaction: a transactional
outbox. A reader that keeps something derived from the statements outside
that transaction (a screening worker's index in memory, a cache of charts,
a projection table) remembers the last sequence number it took in and reads
the records after it, so an erasure or a merge reaches it as surely as an
ingest does. Nothing else tells readers about changes.

Sequence numbers are handed out in commit order: on PostgreSQL the append
takes a transaction-scoped advisory lock, so a transaction that took a lower
number has committed (or rolled back) before a later one can append; a
reader that has seen number ``n`` can never later meet a record below it.
SQLite serialises writers anyway. The append comes last in a write, so the
lock is held only from there to the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import orjson
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from nitka.store.tables import change

ADVISORY_LOCK_KEY = 0x6E69746B61  # "nitka": serialises appends to the change sequence
READ_LIMIT = 1000
"""Records read per call of ``changes_since``: a follower that fell far behind
catches up in steps, never with one huge read."""


class ChangeKind(StrEnum):
    STATEMENTS = "statements"
    """Statements added or changed (an ingest batch, a received message, a note)."""
    ERASED = "erased"
    """An entity's statements erased (Art. 16) or deleted at the end of retention."""
    MERGED = "merged"
    """Entities merged: the old canonical ids answer as the new one."""
    UNMERGED = "unmerged"
    """A merge undone: one canonical id split back into its parts."""
    WITHDRAWN = "withdrawn"
    """A watch-list entry withdrawn."""
    REINSTATED = "reinstated"
    """A withdrawn watch-list entry put back."""
    REFRESH = "refresh"
    """Asked for by hand (``POST /lists/refresh``): re-read these entities."""


@dataclass(frozen=True)
class Change:
    seq: int
    kind: ChangeKind
    entity_ids: tuple[str, ...]
    datasets: tuple[str, ...]
    created_at: datetime


def append_change(
    conn: Connection,
    kind: ChangeKind,
    entity_ids: Iterable[str],
    datasets: Iterable[str] = (),
) -> int | None:
    """Append a change record in the caller's transaction; returns its sequence
    number, or None when the write touched no entity (nothing to record)."""
    ids = list(dict.fromkeys(entity_ids))
    if not ids:
        return None
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    row = {
        "kind": str(kind),
        "entity_ids": orjson.dumps(ids).decode("utf-8"),
        "datasets": orjson.dumps(sorted(set(datasets))).decode("utf-8"),
        "created_at": datetime.now(UTC).replace(tzinfo=None),
    }
    seq: int = conn.execute(insert(change).values(row).returning(change.c.seq)).scalar_one()
    return seq


def last_seq(conn: Connection) -> int:
    """The newest sequence number: what a reader that loads everything now has seen."""
    found: int | None = conn.execute(select(func.max(change.c.seq))).scalar()
    return found or 0


def changes_since(conn: Connection, seq: int, *, limit: int = READ_LIMIT) -> list[Change]:
    """The change records after ``seq``, oldest first, at most ``limit`` of them."""
    rows = conn.execute(
        select(change).where(change.c.seq > seq).order_by(change.c.seq).limit(limit)
    ).all()
    return [
        Change(
            row.seq,
            ChangeKind(row.kind),
            tuple(orjson.loads(row.entity_ids)),
            tuple(orjson.loads(row.datasets)),
            row.created_at,
        )
        for row in rows
    ]


def touched(changes: Sequence[Change], datasets: Iterable[str] | None = None) -> list[str]:
    """The entity ids the changes name, each once, in order. With ``datasets``,
    statement changes into other datasets are left out (a follower of some watch
    lists needs no re-read for an ingest elsewhere); every other kind is kept,
    because an erasure or a merge must reach every reader."""
    wanted = None if datasets is None else set(datasets)
    ids: dict[str, None] = {}
    for item in changes:
        if (
            wanted is not None
            and item.kind is ChangeKind.STATEMENTS
            and item.datasets
            and wanted.isdisjoint(item.datasets)
        ):
            continue
        ids.update(dict.fromkeys(item.entity_ids))
    return list(ids)
