"""Reading what a person sends before it is screened: no text, one word, emoji
only, a megabyte, control characters and bytes that were not text each get a
clear answer, never an exception."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Final

MAX_CHARS: Final = 20_000
"""An offer is read up to here (a long ad is some thousands of characters; a
megabyte is not an ad, and screening it would hold the bot up)."""
MIN_WORDS: Final = 3
"""Fewer words than this are no offer to judge (the questions' job answer may be one word)."""

_DROPPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffd\ufffe\uffff]")
"""Control characters, lone surrogates (bytes decoded with ``surrogateescape``),
replacement characters (bytes a decoder could not read) and non-characters."""
_WORD = re.compile(r"\w+")


class Problem(Enum):
    EMPTY = "empty"
    NO_LETTERS = "no_letters"
    TOO_SHORT = "too_short"


@dataclass(frozen=True, slots=True)
class Prepared:
    text: str
    problem: Problem | None
    cut: bool
    """The text was longer than ``MAX_CHARS`` and was cut there."""
    unreadable: bool
    """Something in it was not text (dropped)."""


def prepare(raw: object, *, min_words: int = MIN_WORDS) -> Prepared:
    """The text to screen, and what stands in the way of screening it."""
    if isinstance(raw, bytes | bytearray):
        raw = bytes(raw[: MAX_CHARS * 4]).decode("utf-8", errors="replace")
    if not isinstance(raw, str):
        return Prepared("", Problem.EMPTY, cut=False, unreadable=raw is not None)
    cut = len(raw) > MAX_CHARS
    sample = raw[:MAX_CHARS]
    text = _DROPPED.sub(" ", sample)
    unreadable = text != sample
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        problem: Problem | None = Problem.EMPTY
    elif not any(unicodedata.category(c).startswith("L") for c in text):
        problem = Problem.NO_LETTERS
    elif len(_WORD.findall(text)) < min_words:
        problem = Problem.TOO_SHORT
    else:
        problem = None
    return Prepared(text, problem, cut=cut, unreadable=unreadable)
