"""Phrases matched over an ad's words, fast enough for thousands of ads a second.

A regular expression per phrase scans the whole text once per phrase; here
each word is looked up once (its lemma and its written form, whole and each
of its prefixes, in two dictionaries), and only the phrases whose first term
a word satisfies are followed from it. See ``patterns`` for the notation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from nitka.ads.text import forms

GAP: Final = 3
"""How many other words may stand between two terms of a phrase."""

Atom = int
Alternative = tuple[Atom, ...]
"""The atoms of one alternative, one per word (``в_брой``: two)."""


@dataclass(frozen=True, slots=True)
class Term:
    """The alternatives of one term: those of one word as a set, for one look-up."""

    single: frozenset[Atom]
    multi: tuple[Alternative, ...]


@dataclass(frozen=True, slots=True)
class Phrase:
    key: str
    """What the phrase stands for (an indicator's code)."""
    terms: tuple[Term, ...]


class Matcher:
    """Phrases compiled into atom tables, and matched over a text's words."""

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        self._exact: dict[str, Atom] = {}
        self._prefix: dict[str, Atom] = {}
        self._longest = 1
        self._starting: dict[Atom, list[Phrase]] = defaultdict(list)
        for key, text in phrases:
            terms = tuple(self._term(t) for t in text.split())
            phrase = Phrase(key, terms)
            firsts = set(terms[0].single) | {alt[0] for alt in terms[0].multi}
            for first in firsts:
                self._starting[first].append(phrase)
        self._cache: dict[tuple[str, str], frozenset[Atom]] = {}

    def _atom(self, word: str) -> Atom:
        table, word = (self._prefix, word[:-1]) if word.endswith("*") else (self._exact, word)
        if word not in table:
            table[word] = len(self._exact) + len(self._prefix)
            if table is self._prefix:
                self._longest = max(self._longest, len(word))
        return table[word]

    def _term(self, text: str) -> Term:
        alts = [tuple(self._atom(w) for w in alt.split("_")) for alt in text.split("|")]
        return Term(frozenset(a[0] for a in alts if len(a) == 1),
                    tuple(a for a in alts if len(a) > 1))  # fmt: skip

    def atoms(self, token: str, lang: str) -> frozenset[Atom]:
        """The atoms a word satisfies by its lemma in ``lang`` or its written form."""
        known = self._cache.get((token, lang))
        if known is not None:
            return known
        found: set[Atom] = set()
        exact, prefix = self._exact, self._prefix
        for form in forms(token, lang):
            atom = exact.get(form)
            if atom is not None:
                found.add(atom)
            for end in range(1, min(len(form), self._longest) + 1):
                atom = prefix.get(form[:end])
                if atom is not None:
                    found.add(atom)
        if len(self._cache) > 500_000:
            self._cache.clear()
        self._cache[token, lang] = frozen = frozenset(found)
        return frozen

    def find(self, words: list[frozenset[Atom]]) -> Iterator[tuple[str, int, int]]:
        """(key, first word, last word) of every phrase found, from each word it starts at."""
        for i, atoms in enumerate(words):
            seen: set[int] = set()
            for atom in atoms:
                for phrase in self._starting.get(atom, ()):
                    if id(phrase) in seen:
                        continue
                    end = _match(phrase.terms, words, i)
                    if end is not None:
                        seen.add(id(phrase))
                        yield phrase.key, i, end


def _alternative_at(term: Term, words: list[frozenset[Atom]], at: int) -> int | None:
    """The last word of the first alternative of ``term`` that starts at ``at``."""
    if not term.single.isdisjoint(words[at]):
        return at
    for alt in term.multi:
        if at + len(alt) <= len(words) and all(a in words[at + k] for k, a in enumerate(alt)):
            return at + len(alt) - 1
    return None


def _match(terms: tuple[Term, ...], words: list[frozenset[Atom]], at: int) -> int | None:
    """The last word of the phrase matched from ``at`` (the nearest way), or None."""
    end = _alternative_at(terms[0], words, at)
    if end is None:
        return None
    if len(terms) == 1:
        return end
    for nxt in range(end + 1, min(end + 2 + GAP, len(words))):
        found = _match(terms[1:], words, nxt)
        if found is not None:
            return found
    return None
