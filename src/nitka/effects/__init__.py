"""The after-write step: what every write that changes what readers see does last.

A write (an ingest batch, an erasure, a merge or its undo, a withdrawal, a
received message, a note) ends by calling ``after_write`` in its own
transaction. It brings the search index, which lives in the same database,
up to date for the entities touched (and takes erased entities out of the
analysis projections at once, ``nitka.store.projected``), and appends the
change record that every reader outside the transaction follows
(``nitka.store.outbox``): screening workers' indexes in memory, caches,
projections. Because both happen in the writer's transaction, a write is seen
everywhere or nowhere.

``nitka.effects.follow`` is the reading side: a position in the sequence and
the records after it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Connection

from nitka.search.index import reindex
from nitka.store.outbox import ChangeKind, append_change
from nitka.store.projected import forget

__all__ = ["ChangeKind", "after_write"]


def after_write(
    conn: Connection,
    kind: ChangeKind,
    entity_ids: Iterable[str],
    *,
    datasets: Iterable[str] = (),
    reindexed: Iterable[str] | None = None,
) -> int | None:
    """Finish a write: reindex the entities for search and append the change record.

    ``entity_ids`` are canonical ids as they were before the write and as they
    are after it (a merge names the old ids and the new one: a reader drops
    what no longer exists and loads what does). ``reindexed`` names the ids
    the writer already indexed itself (an ingest writes new entities' index
    rows in bulk); they are not indexed again. Returns the change's sequence
    number, or None when no entity was touched.
    """
    ids = list(dict.fromkeys(entity_ids))
    done = set(reindexed or ())
    stale = [entity_id for entity_id in ids if entity_id not in done]
    if stale and kind is not ChangeKind.WITHDRAWN and kind is not ChangeKind.REINSTATED:
        reindex(conn, stale)
    if kind is ChangeKind.ERASED:
        # No projected copy of erased data waits for the next reader to catch up.
        forget(conn, ids)
    return append_change(conn, kind, ids, datasets)
