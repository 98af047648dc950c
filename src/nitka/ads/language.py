"""Which of the four languages an ad is written in.

py3langid (a maintained fork of langid.py) ships its model inside the
package; it is restricted here to Ukrainian, Russian, Bulgarian and English.
Letters only one of the three Cyrillic languages uses settle short texts
that the model cannot.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from nitka.ads.indicators import LANGUAGES

UNDETERMINED: Final = "und"
"""The language of a text with no letters (ISO 639-2's code for undetermined)."""

_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RU_ONLY = re.compile(r"[ыэёЫЭЁ]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


@cache
def _identifier() -> LanguageIdentifier:
    # Our own instance, so that restricting its languages changes no one else's.
    found = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    found.set_languages(list(LANGUAGES))
    return found


def detect(text: str) -> str:
    """uk, ru, bg or en; ``und`` for a text without letters of these scripts."""
    sample = text[:1500]
    if _CYRILLIC.search(sample) is None:
        # Counting letters costs more than the rest of the rules on a long English ad.
        return "en" if _LATIN.search(sample) else UNDETERMINED
    cyrillic = len(_CYRILLIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    if cyrillic <= latin // 3:
        return "en"
    uk, ru = bool(_UK_ONLY.search(sample)), bool(_RU_ONLY.search(sample))
    if uk and not ru:
        return "uk"
    if ru and not uk:
        return "ru"
    lang: str = _identifier().classify(sample)[0]
    return lang if lang != "en" else "ru"
