"""Documents and vehicles, checked by exact key against the store.

A country's stolen and lost documents run to tens of millions (INTERPOL's
SLTD holds about 68 million), far more than a screening process could hold
in memory as entities. They are checked by number only, so the store keeps
each document's and vehicle's lookup key in an index
(``search_name.lookup_key``), written by the ingest in the same transaction
as the statements. A check costs one indexed lookup; only a hit loads the
entry. Whatever an ingest or a withdrawal changed, in any process, counts at
the next check, without a refresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from nitka.screen.entries import ListEntry, load_entries
from nitka.screen.withdrawals import withdrawn
from nitka.search.facets import Facet, facet_token
from nitka.store.db import driver_rows, in_marks


class StoredKeys:
    """Lookups of documents and vehicles on some watch lists, by their exact keys."""

    def __init__(self, engine: Engine, lists: Sequence[str]) -> None:
        self.engine = engine
        self.lists = tuple(lists)
        self._tokens = {facet_token(Facet.DATASET, name): name for name in self.lists}

    def entries(self, keys: Iterable[str]) -> list[ListEntry]:
        """The listed, not withdrawn, entries that carry any of these keys."""
        wanted = sorted(set(keys))
        if not wanted:
            return []
        with self.engine.connect() as conn:
            return self._entries(conn, wanted)

    def _entries(self, conn: Connection, keys: list[str]) -> list[ListEntry]:
        # A document or vehicle check is a few of these lookups, hundreds a
        # second: they go to the driver as written, without SQLAlchemy
        # compiling an IN list for each.
        rows = driver_rows(
            conn,
            f"SELECT canonical_id, facets FROM search_name "
            f"WHERE lookup_key IN ({in_marks(conn, len(keys))})",
            tuple(keys),
        )
        on_lists: dict[str, set[str]] = {}
        for canonical_id, facets in rows:
            lists = {self._tokens[t] for t in facets.split() if t in self._tokens}
            if lists:
                on_lists.setdefault(canonical_id, set()).update(lists)
        if not on_lists:
            return []
        ids = sorted(on_lists)
        gone = withdrawn(conn, self.lists, ids)
        standing = [i for i in ids if any((i, name) not in gone for name in on_lists[i])]
        entries = load_entries(conn, standing)
        return [entries[i] for i in standing if i in entries]
