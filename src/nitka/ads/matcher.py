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
from itertools import compress
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

    @property
    def firsts(self) -> frozenset[Atom]:
        """The atoms a word must have for the term to start at it."""
        return self.single | {alt[0] for alt in self.multi}


@dataclass(frozen=True, slots=True)
class Phrase:
    number: int
    """Its place among the matcher's phrases."""
    key: str
    """What the phrase stands for (an indicator's code)."""
    terms: tuple[Term, ...]
    needs: tuple[frozenset[Atom], ...]
    """Per term, its ``firsts``: an ad none of whose words has one of a term's
    cannot hold the phrase, and is not searched for it."""


class _Known(dict[str, frozenset[Atom]]):
    """A word as written -> its atoms, in one language; a word not met before is
    looked up when first asked for, so that words met before cost one C-level
    look-up each."""

    LIMIT: Final = 500_000
    """Words kept per language: beyond this, the table starts again."""

    def __init__(self, matcher: Matcher, lang: str) -> None:
        super().__init__()
        self._matcher, self._lang = matcher, lang

    def __missing__(self, token: str) -> frozenset[Atom]:
        if len(self) >= self.LIMIT:
            self.clear()
        self[token] = atoms = self._matcher.looked_up(token, self._lang)
        return atoms


class Matcher:
    """Phrases compiled into atom tables, and matched over a text's words."""

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        self._exact: dict[str, Atom] = {}
        self._prefix: dict[str, Atom] = {}
        self._longest = 1
        self._starting: dict[Atom, list[Phrase]] = defaultdict(list)
        for number, (key, text) in enumerate(phrases):
            terms = tuple(self._term(t) for t in text.split())
            phrase = Phrase(number, key, terms, tuple(term.firsts for term in terms))
            for first in phrase.needs[0]:
                self._starting[first].append(phrase)
        self._known: dict[str, _Known] = {}
        """language -> word as written -> its atoms: most words of ads repeat."""
        self._phrases_at: dict[frozenset[Atom], tuple[Phrase, ...]] = {}
        """A word's atoms -> the phrases that may start at it, each once."""

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
        return self.atoms_of([token], lang)[0]

    def atoms_of(self, tokens: list[str], lang: str) -> list[frozenset[Atom]]:
        """The atoms of each word (words met before are cached)."""
        known = self._known.get(lang)
        if known is None:
            known = self._known[lang] = _Known(self, lang)
        return list(map(known.__getitem__, tokens))

    def looked_up(self, token: str, lang: str) -> frozenset[Atom]:
        """The atoms of a word, from its lemma and its written form (not cached)."""
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
        return frozenset(found)

    def _starting_at(self, atoms: frozenset[Atom]) -> tuple[Phrase, ...]:
        found = self._phrases_at.get(atoms)
        if found is None:
            if len(self._phrases_at) >= _Known.LIMIT:
                self._phrases_at.clear()
            unique = {p.number: p for atom in atoms for p in self._starting.get(atom, ())}
            found = self._phrases_at[atoms] = tuple(unique.values())
        return found

    def find(self, words: list[frozenset[Atom]]) -> Iterator[tuple[str, int, int]]:
        """(key, first word, last word) of every phrase found, from each word it starts at."""
        present: frozenset[Atom] = frozenset().union(*words)
        possible: dict[int, bool] = {}
        for i in compress(range(len(words)), words):  # words in no phrase start none
            for phrase in self._starting_at(words[i]):
                can = possible.get(phrase.number)
                if can is None:
                    can = all(not present.isdisjoint(need) for need in phrase.needs)
                    possible[phrase.number] = can
                if can:
                    end = _match(phrase.terms, 0, words, i)
                    if end is not None:
                        yield phrase.key, i, end


def _alternative_at(term: Term, words: list[frozenset[Atom]], at: int) -> int | None:
    """The last word of the first alternative of ``term`` that starts at ``at``."""
    if not term.single.isdisjoint(words[at]):
        return at
    for alt in term.multi:
        if at + len(alt) <= len(words) and all(a in words[at + k] for k, a in enumerate(alt)):
            return at + len(alt) - 1
    return None


def _match(
    terms: tuple[Term, ...], first: int, words: list[frozenset[Atom]], at: int
) -> int | None:
    """The last word of ``terms[first:]`` matched from ``at`` (the nearest way), or None."""
    end = _alternative_at(terms[first], words, at)
    if end is None:
        return None
    if first + 1 == len(terms):
        return end
    for nxt in range(end + 1, min(end + 2 + GAP, len(words))):
        if words[nxt]:  # a word with no atoms starts no term
            found = _match(terms, first + 1, words, nxt)
            if found is not None:
                return found
    return None
