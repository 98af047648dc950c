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
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from followthemoney import EntityProxy
from followthemoney.schema import Schema

from nitka.match.dates import DATE_WEIGHT, DateMatch, DatePart, best_date_match, parse_date
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
DATE_FILTER_MIN_THRESHOLD = 1.0 + DATE_WEIGHT[DateMatch.CONFLICT]
"""Above this threshold a birth date in conflict rules a candidate out: even a
perfect name cannot make up for it (see ``nitka.match.entities``)."""
NO_YEAR = "-"


@dataclass
class Candidate:
    entry: ListEntry
    weight: float
    """How much the candidate shares with the query, rare words weighing most."""


class ScreeningIndex:
    """Watch-list entries by name word key (and birth year) and by identifier key.

    Name postings are kept per birth year: an entry born in 1984 is filed
    under ``petrenko|1984``. A check with a birth date reads only the years
    within one of it (and entries without a birth date), because a birth
    date further off is a conflict that no name can outweigh. On a list of a
    million persons this cuts what a check reads some twentyfold. Postings
    are arrays of entry numbers, four bytes each.
    """

    def __init__(self, stored: StoredKeys | None = None) -> None:
        self.stored = stored
        """Where documents and vehicles are looked up, when they are not held here."""
        self.entries: dict[str, ListEntry] = {}
        self._numbers: dict[str, int] = {}
        self._ids: list[str | None] = []
        self._free: list[int] = []
        self._postings: dict[str, array[int]] = {}
        self._word_counts: dict[str, int] = {}
        self._identifiers: dict[str, set[str]] = {}
        self._years = (9999, 0)

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, entry: ListEntry) -> None:
        """Add an entry, or replace the one with its id (an updated notice)."""
        if entry.id in self.entries:
            self.remove(entry.id)
        number = self._free.pop() if self._free else len(self._ids)
        if number == len(self._ids):
            self._ids.append(entry.id)
        else:
            self._ids[number] = entry.id
        self._numbers[entry.id] = number
        self.entries[entry.id] = entry
        words, years = _entry_keys(entry.proxy)
        for year in years:
            self._years = (min(self._years[0], year), max(self._years[1], year))
        for word in words:
            self._word_counts[word] = self._word_counts.get(word, 0) + 1
            for bucket in _buckets(word, years):
                posting = self._postings.get(bucket)
                if posting is None:
                    posting = self._postings[bucket] = array("I")
                posting.append(number)
        for key in _identifier_keys(entry.proxy):
            self._identifiers.setdefault(key, set()).add(entry.id)

    def remove(self, entry_id: str) -> bool:
        """Take an entry out (a cancelled notice, a found document); False if absent."""
        entry = self.entries.pop(entry_id, None)
        if entry is None:
            return False
        number = self._numbers.pop(entry_id)
        words, years = _entry_keys(entry.proxy)
        for word in words:
            _count_down(self._word_counts, word)
            for bucket in _buckets(word, years):
                posting = self._postings[bucket]
                posting.remove(number)
                if not posting:
                    del self._postings[bucket]
        for key in _identifier_keys(entry.proxy):
            _discard(self._identifiers, key, entry_id)
        self._ids[number] = None
        self._free.append(number)
        return True

    def candidates(
        self, query: EntityProxy, limit: int = 30, threshold: float = 0.0
    ) -> list[Candidate]:
        """Entries worth scoring against the query, most promising first.

        With a threshold above ``DATE_FILTER_MIN_THRESHOLD``, entries whose
        birth dates all conflict with the query's are left out, unless an
        identifier brings them.
        """
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
        by_identifier = set(weights)
        dated = threshold > DATE_FILTER_MIN_THRESHOLD and bool(_dates(query))
        years = self._query_years(query, dated)
        for name in names_of(query):
            self._name_candidates(name, years, weights)
        ranked: list[tuple[str, float]] = []
        births = query.get("birthDate", quiet=True) if dated else []
        for entry_id, weight in sorted(weights.items(), key=lambda item: (-item[1], item[0])):
            if len(ranked) == limit:
                break
            if births and entry_id not in by_identifier and _date_conflict(births, entry_id, self):
                continue
            ranked.append((entry_id, weight))
        if ranked:
            # Candidates far behind the best share only common words with the
            # query; scoring them costs time and never makes a hit.
            floor = ranked[0][1] * CANDIDATE_SHARE
            ranked = [(entry_id, weight) for entry_id, weight in ranked if weight >= floor]
        return [
            Candidate(found.get(entry_id) or self.entries[entry_id], weight)
            for entry_id, weight in ranked
        ]

    def _query_years(self, query: EntityProxy, dated: bool) -> list[str]:
        """The birth-year buckets a check reads: within a year of the query's dates."""
        years = {p.year for p in _dates(query)} if dated else set()
        if not years:
            low, high = self._years
            return [NO_YEAR, *map(str, range(low, high + 1))]
        near = sorted({year + step for year in years for step in (-1, 0, 1)})
        return [NO_YEAR, *map(str, near)]

    def _name_candidates(self, name: str, years: list[str], weights: dict[str, float]) -> None:
        total = max(len(self.entries), 1)
        common = max(COMMON_MIN, int(total * COMMON_SHARE))
        postings: list[set[int]] = []
        for keys in name_tokens(name):
            found: set[int] = set()
            for key in keys:
                if key not in self._word_counts:
                    continue
                for year in years:
                    posting = self._postings.get(f"{key}|{year}")
                    if posting is not None:
                        found.update(posting)
            if found:
                postings.append(found)
        postings.sort(key=len)
        seen: dict[int, float] = {}
        for found in postings:
            rarity = math.log(1 + total / len(found))
            if len(found) > common and seen:
                for number in seen.keys() & found:
                    seen[number] += rarity
            elif len(found) <= common:
                for number in found:
                    seen[number] = seen.get(number, 0.0) + rarity
        ids = self._ids
        for number, weight in seen.items():
            entry_id = ids[number]
            if entry_id is not None:
                weights[entry_id] = max(weights.get(entry_id, 0.0), weight)


def _date_conflict(births: list[str], entry_id: str, index: ScreeningIndex) -> bool:
    """Whether the entry's birth dates all conflict with the query's (none agree or come near)."""
    theirs = index.entries[entry_id].proxy.get("birthDate", quiet=True)
    best = best_date_match(births, theirs) if theirs else None
    return best is not None and best.how is DateMatch.CONFLICT


def _entry_keys(entity: EntityProxy) -> tuple[set[str], set[int]]:
    """An entry's name word keys and birth years."""
    words = {key for name in names_of(entity) for key in _word_keys(name)}
    return words, {p.year for p in _dates(entity)}


def _dates(entity: EntityProxy) -> list[DatePart]:
    if "birthDate" not in entity.schema.properties:
        return []
    parsed = (parse_date(value) for value in entity.get("birthDate", quiet=True))
    return [p for p in parsed if p is not None]


def _buckets(word: str, years: set[int]) -> list[str]:
    if not years:
        return [f"{word}|{NO_YEAR}"]
    return [f"{word}|{year}" for year in sorted(years)]


def _count_down(counts: dict[str, int], key: str) -> None:
    left = counts[key] - 1
    if left:
        counts[key] = left
    else:
        del counts[key]


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
