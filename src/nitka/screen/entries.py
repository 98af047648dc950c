"""Watch-list entries: what a hit shows besides the score.

An entry is a stored entity of a watch-list dataset (INTERPOL red notices, a
sanctions list, stolen documents, stolen vehicles) with what the officer at
the check needs: which list and which notice it comes from, and the
handling caveats that travel with it (Europol's H0-H3, with any stated
restriction), so a hit is acted on within what the data owner allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from followthemoney import EntityProxy

from nitka.model.handling import HandlingCode
from nitka.store.reader import StoredEntity

_STRICTNESS = {code: rank for rank, code in enumerate(HandlingCode)}


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

    @property
    def caveats(self) -> list[str]:
        """What the officer must respect when acting on a hit, in words."""
        lines = [f"{self.handling.value}: {self.handling.meaning}"]
        lines += [f"restriction: {note}" for note in self.handling_notes]
        return lines


def entry_from_stored(entity: StoredEntity) -> ListEntry:
    statements = entity.statements
    handling = max((s.handling for s in statements), key=_STRICTNESS.__getitem__)
    notes = sorted({s.handling_note for s in statements if s.handling_note})
    proxy = entity.proxy()
    return ListEntry(
        id=entity.id,
        schema=entity.schema.name,
        caption=proxy.caption,
        lists=tuple(entity.datasets),
        records=tuple(sorted({s.origin for s in statements if s.origin})),
        handling=handling,
        handling_notes=tuple(notes),
        proxy=proxy,
    )
