"""Loading watch lists from the store into a screening index, and keeping it current.

Watch lists are datasets in the store, ingested like any other source:
INTERPOL red notices, sanctions lists standing in for national wanted lists,
stolen and lost documents, stolen vehicles. ``refresh`` re-reads only the
entities an ingest or a cancellation touched, so an update takes effect
without a rebuild. A withdrawn entry (``nitka.screen.withdrawals``) is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.screen.entries import entry_from_stored
from nitka.screen.index import ScreeningIndex
from nitka.screen.withdrawals import withdrawn
from nitka.store.reader import StoredEntity, get_entities
from nitka.store.tables import statement

LISTED_SCHEMATA = ("LegalEntity", "Identification", "Vehicle")
"""What a watch-list entry can be: a person or organisation, a document, a vehicle."""
_CHUNK = 2000


def listed_ids(conn: Connection, lists: Sequence[str]) -> list[str]:
    """Canonical ids of the entities with statements in these datasets."""
    rows = conn.execute(
        select(statement.c.canonical_id).where(statement.c.dataset.in_(list(lists))).distinct()
    )
    return sorted(rows.scalars())


def load_index(conn: Connection, lists: Sequence[str]) -> ScreeningIndex:
    """A screening index of every listed person, document and vehicle of these datasets."""
    index = ScreeningIndex()
    refresh(conn, index, listed_ids(conn, lists), lists)
    return index


def refresh(
    conn: Connection, index: ScreeningIndex, canonical_ids: Iterable[str], lists: Sequence[str]
) -> None:
    """Re-read these entities: add or replace those listed, remove those no longer listed."""
    ids = sorted(set(canonical_ids))
    gone = withdrawn(conn, lists)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        entities = get_entities(conn, chunk)
        for entity_id in chunk:
            entity = entities.get(entity_id)
            if entity is not None and _listed(entity, lists, gone):
                index.add(entry_from_stored(entity))
            else:
                index.remove(entity_id)


def _listed(entity: StoredEntity, lists: Sequence[str], gone: set[tuple[str, str]]) -> bool:
    """A person, document or vehicle that stands on at least one of the lists."""
    if not any(entity.schema.is_a(name) for name in LISTED_SCHEMATA):
        return False
    return any(dataset in lists and (entity.id, dataset) not in gone for dataset in entity.datasets)
