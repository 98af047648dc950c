"""An ad's text made safe to screen, its words, and their lemmas.

Screening never fails on the text itself: control characters are blanked
(keeping every character's position, so that spans still point into the
text as given), and only the first ``MAX_CHARS`` characters are read.
"""

from __future__ import annotations

import re
from itertools import accumulate, chain
from operator import itemgetter
from typing import Final

import simplemma

MAX_CHARS: Final = 100_000
"""Characters of an ad that are screened; the rest of a longer text is not read."""

_PIECES = re.compile(r"(\W*)(\w+(?:['’ʼ]\w+)*)?")
"""A word and the characters before it that are not words, in one match: a
list of these, C-made, gives the words and (by their lengths) where each is,
without a match object per word. The word is optional so that a text's tail
is one match rather than a search retried from each of its characters."""
_WORD_OF = itemgetter(1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN1 = re.compile(r"[\u00c0-\u00ff]")


class Words:
    """The words of a text in a language, and where each is in the text.

    The places are worked out when first asked for: most words of an ad are
    in no phrase, and only the hits need them.
    """

    __slots__ = ("_ends", "_pieces", "lang", "tokens")

    def __init__(self, lang: str, pieces: list[tuple[str, str]]) -> None:
        self.lang = lang
        """The language the words are lemmatised in."""
        self.tokens: list[str] = list(map(_WORD_OF, pieces))
        """The words as written."""
        self._pieces = pieces
        self._ends: list[int] | None = None

    def __len__(self) -> int:
        return len(self.tokens)

    def span(self, index: int) -> tuple[int, int]:
        """Where the word at ``index`` starts and ends in the text."""
        if self._ends is None:
            self._ends = list(accumulate(map(len, chain.from_iterable(self._pieces))))
        return self._ends[2 * index], self._ends[2 * index + 1]


def forms(token: str, lang: str) -> tuple[str, str]:
    """A word's lemma and its written form, both in lower case.

    Phrases are matched against both: a lemmatiser's guess can miss an
    inflected form a phrase names.
    """
    lowered = token.lower().replace("’", "'").replace("ʼ", "'")
    if lowered.isdigit():
        return lowered, lowered
    return simplemma.lemmatize(lowered, lang=lang).lower(), lowered


def clean(text: str) -> tuple[str, list[str]]:
    """The text to screen (same length up to ``MAX_CHARS``) and notes on what was done."""
    notes: list[str] = []
    if len(text) > MAX_CHARS:
        notes.append(f"only the first {MAX_CHARS:,} of {len(text):,} characters were screened")
        text = text[:MAX_CHARS]
    if _CONTROL.search(text):
        notes.append("control characters or undecodable bytes were ignored")
        text = _CONTROL.sub(" ", text)
    if "\ufffd" in text or _looks_misdecoded(text):
        notes.append("the text looks wrongly decoded (not UTF-8?)")
    return text, notes


def has_letters(text: str) -> bool:
    return _LETTER.search(text) is not None


def _looks_misdecoded(text: str) -> bool:
    # Cyrillic in windows-1251 read as Latin-1 gives runs of À-ÿ letters.
    sample = text[:2000]
    odd = len(_LATIN1.findall(sample))
    return odd > 20 and odd > len(sample) // 4


def words(text: str, lang: str) -> Words:
    """The words of a cleaned text, to be read in ``lang``."""
    pieces: list[tuple[str, str]] = _PIECES.findall(text)
    while pieces and not pieces[-1][1]:
        pieces.pop()  # the text's tail after its last word
    return Words(lang, pieces)
