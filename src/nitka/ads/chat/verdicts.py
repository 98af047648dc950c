"""What the dialogue needs of the screening engine, as protocols.

The engine (``nitka.ads.verdict.screen_ad``) is handed in as a function, so the
dialogue is built and tested without it: anything that takes a text and answers
with a risk, a label, a language and indicators (each with its code and the
words of the text that showed it) will do. ``Describe`` gives an indicator's
description in a language (``nitka.ads.indicators.describe``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from nitka.ads import review


class HitLike(review.Indicated, Protocol):
    """An indicator as the review list reads it, with the words that showed it."""

    @property
    def words(self) -> Sequence[str]: ...


class VerdictLike(review.VerdictLike, Protocol):
    """A verdict as the review list reads it, its indicators with their words."""

    @property
    def indicators(self) -> Sequence[HitLike]: ...


Screen = Callable[[str], VerdictLike]
"""The screening engine: an offer's text in, a verdict out."""

Describe = Callable[[str, str], str]
"""An indicator's description: (code, language) in, a sentence out."""


def describe_by_code(code: str, lang: str) -> str:
    """The fallback description: the code in words (when no engine's data is wired)."""
    return code.replace("_", " ")
