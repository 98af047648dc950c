"""Watch-list entries: what a hit shows besides the score.

An entry is a stored entity of a watch-list dataset (INTERPOL red notices, a
sanctions list, stolen documents, stolen vehicles) with what the officer at
the check needs: which list and which notice it comes from, and the
handling caveats that travel with it (Europol's H0-H3, with any stated
restriction), so a hit is acted on within what the data owner allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from followthemoney import EntityProxy, model
from sqlalchemy.engine import Connection

from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import ENTITY_PROP
from nitka.store.db import driver_rows, in_marks
from nitka.store.reader import schema_of

_STRICTNESS = {code: rank for rank, code in enumerate(HandlingCode)}
_PROTECTED = frozenset(c.value for c in DataSubjectCategory if c.is_protected)


@dataclass(frozen=True)
class ListEntry:
    id: str
    """The entity's canonical id in the store."""
    schema: str
    caption: str
    lists: tuple[str, ...]
    """The datasets (watch lists) the entry's statements come from."""
    records: tuple[str, ...]
    """Where in those lists: each statement origin's file and record (a notice)."""
    handling: HandlingCode
    """The strictest handling code among the entry's statements."""
    handling_notes: tuple[str, ...]
    """Stated restrictions (H3) that travel with the data."""
    proxy: EntityProxy
    sources: frozenset[tuple[str | None, str]] = frozenset()
    """The (case, dataset) pairs of the entry's statements: who may see the hit."""
    protected: bool = False
    """Some statements are about a victim, witness or informant."""

    @property
    def caveats(self) -> list[str]:
        """What the officer must respect when acting on a hit, in words."""
        lines = [f"{self.handling.value}: {self.handling.meaning}"]
        lines += [f"restriction: {note}" for note in self.handling_notes]
        return lines


_ENTRY_COLUMNS = (
    'SELECT canonical_id, id, "schema", prop, value, dataset, origin, handling, '
    "handling_note, case_id, category FROM statement WHERE canonical_id IN ({})"
)
"""Only the columns an entry needs; sent to the driver as written (no SQL compiled
per chunk), because a country's lists load millions of entries through it and a
document hit loads its entry while the officer waits."""
_HANDLING = {code.value: code for code in HandlingCode}
_CHUNK = 500


def load_entries(conn: Connection, canonical_ids: Sequence[str]) -> dict[str, ListEntry]:
    """The entries of these entities, read from the store."""
    grouped: dict[str, list[Sequence[Any]]] = {}
    for start in range(0, len(canonical_ids), _CHUNK):
        chunk = tuple(canonical_ids[start : start + _CHUNK])
        sql = _ENTRY_COLUMNS.format(in_marks(conn, len(chunk)))
        for row in driver_rows(conn, sql, chunk):
            grouped.setdefault(row[0], []).append(row)
    return {entity_id: _entry(entity_id, rows) for entity_id, rows in grouped.items()}


def _entry(entity_id: str, rows: list[Sequence[Any]]) -> ListEntry:
    rows.sort(key=itemgetter(1))  # statement id order, as ``get_entities`` gives them
    schema = schema_of(row[2] for row in rows)
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    properties = schema.properties
    handling = HandlingCode.H0
    notes: set[str] = set()
    for _, _, _, prop, value, _, _, code, note, _, _ in rows:
        if prop != ENTITY_PROP and prop in properties:
            proxy.unsafe_add(properties[prop], value, cleaned=True)
        level = _HANDLING[code]
        if _STRICTNESS[level] > _STRICTNESS[handling]:
            handling = level
        if note:
            notes.add(note)
    return ListEntry(
        id=entity_id,
        schema=schema.name,
        caption=proxy.caption,
        lists=tuple(sorted({row[5] for row in rows})),
        records=tuple(sorted({row[6] for row in rows if row[6]})),
        handling=handling,
        handling_notes=tuple(sorted(notes)),
        proxy=proxy,
        sources=_interned(frozenset((row[9], row[5]) for row in rows)),
        protected=any(row[10] in _PROTECTED for row in rows),
    )


_SOURCES: dict[frozenset[tuple[str | None, str]], frozenset[tuple[str | None, str]]] = {}


def _interned(
    sources: frozenset[tuple[str | None, str]],
) -> frozenset[tuple[str | None, str]]:
    """One shared set per combination: millions of entries have a handful of them."""
    return _SOURCES.setdefault(sources, sources)
