"""The screening index: watch-list entries in memory, found by name keys and identifiers.

A check must answer in milliseconds, so candidates are found in memory:
names by the cross-script word keys of ``nitka.search.names`` (so a Latin
query finds a Cyrillic entry), documents and vehicles by their normalised
numbers. Candidates are ranked by how rare the words they share with the
query are (a shared surname says more than a shared "Oleksandr"), and only
the best few are scored by the matcher.

Entries are added and removed one by one, so a notice added or cancelled
takes effect at once, without a rebuild. Documents and vehicles of the store
are not held here but looked up by exact key (``stored``), one indexed
query per check.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from followthemoney import EntityProxy
from followthemoney.schema import Schema

from nitka.match.entities import (
    PERSON_IDENTIFIERS,
    document_numbers,
    identifier_keys,
    names_of,
    vehicle_keys,
)
from nitka.screen.entries import ListEntry
from nitka.screen.stored import StoredKeys
from nitka.search.names import name_tokens

COMMON_SHARE = 0.02
"""A word carried by more than this share of entries (and at least
``COMMON_MIN`` of them) only ranks candidates found through rarer words."""
COMMON_MIN = 1000
CANDIDATE_SHARE = 0.5
"""Candidates with less than this share of the best candidate's weight are not scored."""


@dataclass
class Candidate:
    entry: ListEntry
    weight: float
    """How much the candidate shares with the query, rare words weighing most."""


class ScreeningIndex:
    """Watch-list entries by name word key and by identifier key."""

    def __init__(self, stored: StoredKeys | None = None) -> None:
        self.stored = stored
        """Where documents and vehicles are looked up, when they are not held here."""
        self.entries: dict[str, ListEntry] = {}
        self._words: dict[str, set[str]] = {}
        self._identifiers: dict[str, set[str]] = {}
        self._keys_of: dict[str, tuple[list[str], list[str]]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, entry: ListEntry) -> None:
        """Add an entry, or replace the one with its id (an updated notice)."""
        if entry.id in self.entries:
            self.remove(entry.id)
        words = sorted({key for name in names_of(entry.proxy) for key in _word_keys(name)})
        identifiers = sorted(_identifier_keys(entry.proxy))
        for key in words:
            self._words.setdefault(key, set()).add(entry.id)
        for key in identifiers:
            self._identifiers.setdefault(key, set()).add(entry.id)
        self.entries[entry.id] = entry
        self._keys_of[entry.id] = (words, identifiers)

    def remove(self, entry_id: str) -> bool:
        """Take an entry out (a cancelled notice, a found document); False if absent."""
        if entry_id not in self.entries:
            return False
        words, identifiers = self._keys_of.pop(entry_id)
        for key in words:
            _discard(self._words, key, entry_id)
        for key in identifiers:
            _discard(self._identifiers, key, entry_id)
        del self.entries[entry_id]
        return True

    def candidates(self, query: EntityProxy, limit: int = 30) -> list[Candidate]:
        """Entries worth scoring against the query, most promising first."""
        weights: dict[str, float] = {}
        identifiers = _identifier_keys(query)
        for key in identifiers:
            for entry_id in self._identifiers.get(key, ()):
                weights[entry_id] = weights.get(entry_id, 0.0) + 100.0
        found: dict[str, ListEntry] = {}
        if self.stored is not None and is_looked_up(query.schema):
            found = {entry.id: entry for entry in self.stored.entries(identifiers)}
            for entry_id in found:
                weights[entry_id] = weights.get(entry_id, 0.0) + 100.0
        for name in names_of(query):
            self._name_candidates(name, weights)
        ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:limit]
        if ranked:
            # Candidates far behind the best share only common words with the
            # query; scoring them costs time and never makes a hit.
            floor = ranked[0][1] * CANDIDATE_SHARE
            ranked = [(entry_id, weight) for entry_id, weight in ranked if weight >= floor]
        return [
            Candidate(found.get(entry_id) or self.entries[entry_id], weight)
            for entry_id, weight in ranked
        ]

    def _name_candidates(self, name: str, weights: dict[str, float]) -> None:
        total = max(len(self.entries), 1)
        common = max(COMMON_MIN, int(total * COMMON_SHARE))
        postings: list[set[str]] = []
        for keys in name_tokens(name):
            found: set[str] = set()
            for key in keys:
                found |= self._words.get(key, set())
            if found:
                postings.append(found)
        postings.sort(key=len)
        seen: dict[str, float] = {}
        for found in postings:
            rarity = math.log(1 + total / len(found))
            if len(found) > common and seen:
                for entry_id in seen.keys() & found:
                    seen[entry_id] += rarity
            elif len(found) <= common:
                for entry_id in found:
                    seen[entry_id] = seen.get(entry_id, 0.0) + rarity
        for entry_id, weight in seen.items():
            weights[entry_id] = max(weights.get(entry_id, 0.0), weight)


def is_looked_up(schema: Schema) -> bool:
    """Documents and vehicles: checked by exact key in the store, not held in memory."""
    return schema.is_a("Identification") or schema.is_a("Vehicle")


def _word_keys(name: str) -> Iterable[str]:
    for keys in name_tokens(name):
        yield from keys


def _identifier_keys(entity: EntityProxy) -> set[str]:
    """Identifier index keys, prefixed by kind so a plate never meets a passport number."""
    keys: set[str] = set()
    if entity.schema.is_a("Vehicle"):
        for kind, values in vehicle_keys(entity).items():
            keys |= {f"{kind}:{value}" for value in values}
    elif entity.schema.is_a("Identification"):
        keys |= {f"document:{value}" for value in document_numbers(entity)}
    else:
        for kind, values in identifier_keys(entity, PERSON_IDENTIFIERS).items():
            prefix = "document" if kind in ("passport", "idcard") else kind
            keys |= {f"{prefix}:{value}" for value in values}
    return keys


def _discard(index: dict[str, set[str]], key: str, entry_id: str) -> None:
    found = index.get(key)
    if found is None:
        return
    found.discard(entry_id)
    if not found:
        del index[key]
