"""Loading watch lists from the store into a screening index, and keeping it current.

Watch lists are datasets in the store, ingested like any other source:
INTERPOL red notices, sanctions lists standing in for national wanted lists,
stolen and lost documents, stolen vehicles. ``refresh`` re-reads only the
entities an ingest or a cancellation touched, so an update takes effect
without a rebuild. A withdrawn entry (``nitka.screen.withdrawals``) is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from followthemoney import model
from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.screen.entries import ListEntry, load_entries
from nitka.screen.index import ScreeningIndex, is_looked_up
from nitka.screen.stored import StoredKeys
from nitka.screen.withdrawals import withdrawn
from nitka.store.tables import statement

LISTED_SCHEMATA = ("LegalEntity", "Identification", "Vehicle")
"""What a watch-list entry can be: a person or organisation, a document, a vehicle."""
HELD_SCHEMATA = ("LegalEntity",)
"""What a screening process holds in memory; the rest it looks up in the store."""
_CHUNK = 2000


def listed_ids(
    conn: Connection, lists: Sequence[str], schemata: Sequence[str] = LISTED_SCHEMATA
) -> list[str]:
    """Canonical ids of the entities of these schemata (or their descendants) with
    statements in these datasets."""
    names = sorted({s.name for s in model.schemata.values() if any(s.is_a(n) for n in schemata)})
    rows = conn.execute(
        select(statement.c.canonical_id)
        .where(statement.c.dataset.in_(list(lists)), statement.c.schema.in_(names))
        .distinct()
    )
    return sorted(rows.scalars())


def load_index(conn: Connection, lists: Sequence[str]) -> ScreeningIndex:
    """A screening index of these datasets: listed persons and organisations in
    memory, documents and vehicles looked up in the store by exact key."""
    index = ScreeningIndex(StoredKeys(conn.engine, lists))
    refresh(conn, index, listed_ids(conn, lists, HELD_SCHEMATA), lists)
    return index


def refresh(
    conn: Connection, index: ScreeningIndex, canonical_ids: Iterable[str], lists: Sequence[str]
) -> None:
    """Re-read these entities: add or replace those listed, remove those no longer listed."""
    ids = sorted(set(canonical_ids))
    gone = withdrawn(conn, lists)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        entries = load_entries(conn, chunk)
        for entity_id in chunk:
            entry = entries.get(entity_id)
            if entry is not None and _listed(entry, lists, gone, index):
                index.add(entry)
            else:
                index.remove(entity_id)


def _listed(
    entry: ListEntry, lists: Sequence[str], gone: set[tuple[str, str]], index: ScreeningIndex
) -> bool:
    """A person, document or vehicle that stands on at least one of the lists, and
    is held in memory (documents and vehicles are not when the store is at hand)."""
    schema = entry.proxy.schema
    if not any(schema.is_a(name) for name in LISTED_SCHEMATA):
        return False
    if index.stored is not None and is_looked_up(schema):
        return False
    return any(dataset in lists and (entry.id, dataset) not in gone for dataset in entry.lists)
