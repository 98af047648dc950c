"""The screening index: watch-list entries in memory, found by name keys and identifiers.

A check must answer in milliseconds, so candidates are found in memory:
names by the cross-script word keys of ``nitka.normalise.names`` (so a Latin
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

import heapq
import math
from array import array
from dataclasses import dataclass

from followthemoney import EntityProxy
from followthemoney.schema import Schema

from nitka.match.dates import (
    DATE_WEIGHT,
    DateMatch,
    DatePart,
    agreeable_dates,
    compare_parsed,
    pack_date,
    parse_date,
    unpack_date,
)
from nitka.match.entities import (
    PERSON_IDENTIFIERS,
    Party,
    document_numbers,
    identifier_keys,
    names_of,
    vehicle_keys,
)
from nitka.normalise.names import name_tokens, word_keys, words
from nitka.screen.entries import ListEntry
from nitka.screen.stored import StoredKeys

COMMON_SHARE = 0.02
"""A word carried by more than this share of entries (and at least
``COMMON_MIN`` of them) only ranks candidates found through rarer words."""
COMMON_MIN = 1000
PARTY_CACHE = 50_000
"""Entries kept read for comparison (``ScreeningIndex.party``): some 50 MB at most."""
CANDIDATE_SHARE = 0.5
"""Candidates with less than this share of the best candidate's weight are not scored."""
DATE_FILTER_MIN_THRESHOLD = 1.0 + DATE_WEIGHT[DateMatch.CONFLICT]
"""Above this threshold a birth date in conflict rules a candidate out: even a
perfect name cannot make up for it (see ``nitka.match.entities``)."""


@dataclass
class Candidate:
    entry: ListEntry
    weight: float
    """How much the candidate shares with the query, rare words weighing most."""


class ScreeningIndex:
    """Watch-list entries by name word key (and birth year) and by identifier key.

    Name postings are kept per word and birth year: an entry born in 1984 is
    filed under ``petrenko`` / 1984. A check with a birth date reads only the
    years within one of it (and entries without a birth date), because a
    birth date further off is a conflict that no name can outweigh. On a list
    of a million persons this cuts what a check reads some twentyfold.
    Postings are arrays of entry numbers, four bytes each, and each entry's
    birth dates are kept packed in one integer, so that ruling out a
    candidate by its date costs no parsing.
    """

    def __init__(self, stored: StoredKeys | None = None) -> None:
        self.stored = stored
        """Where documents and vehicles are looked up, when they are not held here."""
        self.entries: dict[str, ListEntry] = {}
        self._numbers: dict[str, int] = {}
        self._ids: list[str | None] = []
        self._births = array("i")
        """Per entry number: its birth date packed (``_pack``), 0 for none, -1 for several."""
        self._several_births: dict[int, tuple[DatePart, ...]] = {}
        self._free: list[int] = []
        self._words: dict[str, int] = {}
        """Each name word of the entries (normalised) and its number."""
        self._next_word = 0
        self._word_entries: dict[int, int] = {}
        """How many entries carry each word."""
        self._words_by_key: dict[str, set[int]] = {}
        """The words each cross-script key belongs to: a query word's keys find them."""
        self._postings: dict[int, dict[int, array[int]]] = {}
        """Per word and birth year, the entries."""
        self._identifiers: dict[str, set[str]] = {}
        self._parties: dict[str, tuple[EntityProxy, Party]] = {}
        """Entries as person checks compare them, read once (``party``)."""

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, entry: ListEntry) -> None:
        """Add an entry, or replace the one with its id (an updated notice)."""
        if entry.id in self.entries:
            self.remove(entry.id)
        self._parties.pop(entry.id, None)
        number = self._free.pop() if self._free else len(self._ids)
        births = _dates(entry.proxy)
        if number == len(self._ids):
            self._ids.append(entry.id)
            self._births.append(0)
        else:
            self._ids[number] = entry.id
        self._set_births(number, births)
        self._numbers[entry.id] = number
        self.entries[entry.id] = entry
        years = _years(births)
        for word in _entry_words(entry.proxy):
            by_year = self._postings.get(self._word_number(word))
            if by_year is None:
                by_year = self._postings[self._words[word]] = {}
            for year in years:
                posting = by_year.get(year)
                if posting is None:
                    posting = by_year[year] = array("I")
                posting.append(number)
        for key in _identifier_keys(entry.proxy):
            self._identifiers.setdefault(key, set()).add(entry.id)

    def remove(self, entry_id: str) -> bool:
        """Take an entry out (a cancelled notice, a found document); False if absent."""
        entry = self.entries.pop(entry_id, None)
        if entry is None:
            return False
        number = self._numbers.pop(entry_id)
        self._parties.pop(entry_id, None)
        years = _years(_dates(entry.proxy))
        for word in _entry_words(entry.proxy):
            word_number = self._words[word]
            by_year = self._postings[word_number]
            for year in years:
                posting = by_year[year]
                posting.remove(number)
                if not posting:
                    del by_year[year]
            self._forget_word(word, word_number)
        for key in _identifier_keys(entry.proxy):
            _discard(self._identifiers, key, entry_id)
        self._ids[number] = None
        self._set_births(number, [])
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
        births = _dates(query) if threshold > DATE_FILTER_MIN_THRESHOLD else []
        years = _near_years(births) if births else None
        by_name: dict[int, float] = {}
        for name in names_of(query):
            self._name_candidates(name, years, by_name)
        if births and by_name:
            # Entries whose birth dates all conflict with the query's cannot
            # make a hit: they are left out before anything else is done with them.
            agreeable = _agreeable(births)
            packed = self._births
            if agreeable is not None:
                # The usual check, with a full date: one lookup an entry.
                by_name = {
                    number: weight
                    for number, weight in by_name.items()
                    if packed[number] in agreeable
                    or packed[number] == 0
                    or (packed[number] == SEVERAL and not self._date_conflict(births, None, number))
                }
            else:
                by_name = {
                    number: weight
                    for number, weight in by_name.items()
                    if not self._date_conflict(births, agreeable, number)
                }
        ids = self._ids
        for number, weight in by_name.items():
            held = ids[number]
            if held is not None and weights.get(held, 0.0) < weight:
                weights[held] = weight
        if len(weights) > limit:
            best = heapq.nsmallest(limit, ((-weight, id_) for id_, weight in weights.items()))
        else:
            best = sorted((-weight, id_) for id_, weight in weights.items())
        ranked = [(entry_id, -negative) for negative, entry_id in best]
        if ranked:
            # Candidates far behind the best share only common words with the
            # query; scoring them costs time and never makes a hit.
            floor = ranked[0][1] * CANDIDATE_SHARE
            ranked = [(entry_id, weight) for entry_id, weight in ranked if weight >= floor]
        return [
            Candidate(found.get(entry_id) or self.entries[entry_id], weight)
            for entry_id, weight in ranked
        ]

    def party(self, entry: ListEntry) -> Party:
        """The entry as a person check compares it (``nitka.match.entities.Party``).

        Kept for the entries checks meet, up to ``PARTY_CACHE`` of them: a
        wanted person's entry is compared with every traveller of that name.
        """
        found = self._parties.get(entry.id)
        if found is not None and found[0] is entry.proxy:
            return found[1]
        if len(self._parties) >= PARTY_CACHE:
            self._parties.clear()
        party = Party.of(entry.proxy)
        self._parties[entry.id] = (entry.proxy, party)
        return party

    def _name_candidates(
        self, name: str, years: list[int] | None, weights: dict[int, float]
    ) -> None:
        """Weigh the entries (by number) sharing words with the name; ``years`` None
        reads every year. An entry keeps the weight of the name it shares most with."""
        total = max(len(self.entries), 1)
        common = max(COMMON_MIN, int(total * COMMON_SHARE))
        postings: list[set[int]] = []
        for keys in name_tokens(name):
            found: set[int] = set()
            for word_number in self._words_of(keys):
                by_year = self._postings[word_number]
                if years is None:
                    for posting in by_year.values():
                        found.update(posting)
                    continue
                for year in years:
                    of_year = by_year.get(year)
                    if of_year is not None:
                        found.update(of_year)
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
        for number, weight in seen.items():
            if weights.get(number, 0.0) < weight:
                weights[number] = weight

    def _word_number(self, word: str) -> int:
        """The word's number, the word filed under its keys if it is new; counts one entry."""
        number = self._words.get(word)
        if number is None:
            number = self._words[word] = self._next_word
            self._next_word += 1
            for key in word_keys(word):
                self._words_by_key.setdefault(key, set()).add(number)
        self._word_entries[number] = self._word_entries.get(number, 0) + 1
        return number

    def _forget_word(self, word: str, number: int) -> None:
        """Count one entry less for the word; drop the word with its last entry."""
        left = self._word_entries[number] - 1
        if left:
            self._word_entries[number] = left
            return
        del self._word_entries[number], self._words[word], self._postings[number]
        for key in word_keys(word):
            numbers = self._words_by_key[key]
            numbers.discard(number)
            if not numbers:
                del self._words_by_key[key]

    def _words_of(self, keys: set[str]) -> set[int]:
        """The entries' words that share a key with a query word."""
        found: set[int] = set()
        for key in keys:
            numbers = self._words_by_key.get(key)
            if numbers is not None:
                found |= numbers
        return found

    def _set_births(self, number: int, births: list[DatePart]) -> None:
        self._several_births.pop(number, None)
        if len(births) > 1:
            self._births[number] = SEVERAL
            self._several_births[number] = tuple(births)
        else:
            self._births[number] = pack_date(births[0]) if births else 0

    def _date_conflict(
        self, births: list[DatePart], agreeable: frozenset[int] | None, number: int
    ) -> bool:
        """Whether the entry's birth dates all conflict with the query's."""
        packed = self._births[number]
        if packed == 0:
            return False
        if agreeable is not None and packed != SEVERAL:
            return packed not in agreeable
        theirs = self._several_births[number] if packed == SEVERAL else (unpack_date(packed),)
        return all(
            compare_parsed(ours, their) is DateMatch.CONFLICT for ours in births for their in theirs
        )


NO_YEAR = 0
"""The postings of entries without a birth date."""
SEVERAL = -1


def _agreeable(births: list[DatePart]) -> frozenset[int] | None:
    """The packed dates that agree with any of the query's, if all its dates are full."""
    union: set[int] = set()
    for part in births:
        found = agreeable_dates(part)
        if found is None:
            return None
        union |= found
    return frozenset(union) if union else None


def _years(births: list[DatePart]) -> list[int]:
    """The birth-year postings an entry is filed under."""
    return sorted({part.year for part in births}) or [NO_YEAR]


def _near_years(births: list[DatePart]) -> list[int]:
    """The birth-year postings a dated check reads: within a year of its dates."""
    near = {part.year + step for part in births for step in (-1, 0, 1)}
    return [NO_YEAR, *sorted(near)]


def _entry_words(entity: EntityProxy) -> set[str]:
    """An entry's name words (normalised), those that have search keys."""
    return {word for name in names_of(entity) for word in words(name) if word_keys(word)}


def _dates(entity: EntityProxy) -> list[DatePart]:
    if "birthDate" not in entity.schema.properties:
        return []
    parsed = (parse_date(value) for value in entity.get("birthDate", quiet=True))
    return [p for p in parsed if p is not None]


def is_looked_up(schema: Schema) -> bool:
    """Documents and vehicles: checked by exact key in the store, not held in memory."""
    return schema.is_a("Identification") or schema.is_a("Vehicle")


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
