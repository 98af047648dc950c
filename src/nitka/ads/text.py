"""An ad's text made safe to screen, its words, and their lemmas.

Screening never fails on the text itself: control characters are blanked
(keeping every character's position, so that spans still point into the
text as given), and only the first ``MAX_CHARS`` characters are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import simplemma

MAX_CHARS: Final = 100_000
"""Characters of an ad that are screened; the rest of a longer text is not read."""

_WORD = re.compile(r"\w+(?:['’ʼ]\w+)*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Words:
    """The words of a text: where each is, its lemma and its written form in lower case.

    Phrases are matched against both: a lemmatiser's guess can miss an
    inflected form a phrase names.
    """

    spans: tuple[tuple[int, int], ...]
    lemmas: tuple[str, ...]
    lowered: tuple[str, ...]


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
    odd = sum(1 for ch in sample if "\u00c0" <= ch <= "\u00ff")
    return odd > 20 and odd > len(sample) // 4


@lru_cache(maxsize=200_000)
def lemma(token: str, lang: str) -> str:
    """The lower-case lemma of a word (the word itself where simplemma knows none)."""
    lower = token.lower().replace("’", "'").replace("ʼ", "'")
    if lower.isdigit():
        return lower
    return simplemma.lemmatize(lower, lang=lang).lower()


def words(text: str, lang: str) -> Words:
    """The words of a cleaned text with their lemmas in ``lang``."""
    spans: list[tuple[int, int]] = []
    lemmas: list[str] = []
    lowered: list[str] = []
    for match in _WORD.finditer(text):
        spans.append(match.span())
        lemmas.append(lemma(match.group(), lang))
        lowered.append(match.group().lower().replace("’", "'").replace("ʼ", "'"))
    return Words(tuple(spans), tuple(lemmas), tuple(lowered))
