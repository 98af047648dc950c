"""What the rules find in an ad: its language, its indicators, and notes on
what could not be read."""

from __future__ import annotations

from dataclasses import dataclass

from nitka.ads import language, rules, text
from nitka.ads.indicators import LANGUAGES
from nitka.ads.rules import Hit
from nitka.errors import FieldError

SHORT = 8
"""Below this many words, missing information is not counted as evidence."""


@dataclass(frozen=True, slots=True)
class Findings:
    text: str
    """The text as screened (control characters blanked, cut at ``text.MAX_CHARS``)."""
    lang: str
    hits: list[Hit]
    notes: list[str]
    readable: bool = True
    """False for a text with nothing to screen: empty, or without letters."""


def checked_lang(lang: str | None) -> str | None:
    """A given language code, checked; ``None`` (detect it) for none or an empty one."""
    if lang is None or not lang.strip():
        return None
    code = lang.strip().lower()
    if code not in LANGUAGES:
        raise FieldError(f"{lang!r} is not one of {', '.join(LANGUAGES)}", field="lang")
    return code


def findings(raw: str, lang: str | None = None) -> Findings:
    """The rules' findings in an ad; ``lang`` (uk, ru, bg, en) skips detection."""
    given = checked_lang(lang)
    cleaned, notes = text.clean(raw)
    if not cleaned.strip():
        return Findings(cleaned, given or language.UNDETERMINED, [], [*notes, "empty text"], False)
    if not text.has_letters(cleaned):
        return Findings(cleaned, given or language.UNDETERMINED, [],
                        [*notes, "no words to screen"], False)  # fmt: skip
    found = given or language.detect(cleaned)
    words = text.words(cleaned, found if found in LANGUAGES else "en")
    # The words as the ad has them (control characters were blanked to read it).
    found_hits = rules.find(cleaned, words)
    hits = [Hit(h.code, h.spans, [raw[a:b] for a, b in h.spans]) for h in found_hits]
    if len(words) < SHORT:
        # What a few words leave out says nothing of the employer.
        hits = [h for h in hits if h.words]
        notes.append(f"short text: fewer than {SHORT} words")
    return Findings(cleaned, found, hits, notes)
