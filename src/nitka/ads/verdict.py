"""The verdict on an ad: its risk, its label, its language, and the
indicators behind it with the words that show them.

``screen_ad`` is the engine's one entry point (the collectors, the review
list and the chatbot call it). The risk is the classifier's probability,
which weighs the rules' findings and their combinations beside the ad's
character n-grams; with ``classifier=False`` it is the rules' own risk
(``rules.risk``). A verdict is ``risky`` only when the risk reaches
``THRESHOLD`` *and* at least one indicator names words of the ad, so that
every risky verdict can show why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from nitka.ads import classifier, rules
from nitka.ads.findings import Findings, findings
from nitka.ads.indicators import LANGUAGES
from nitka.ads.language import detect
from nitka.ads.rules import Hit

THRESHOLD: Final = 0.5
"""The risk from which an ad is labelled risky."""

WORDLESS_CAP: Final = 0.45
"""The highest risk of an ad none of whose indicators names words."""

Label = Literal["risky", "benign"]


@dataclass(frozen=True, slots=True)
class Verdict:
    risk: float
    """In [0, 1]."""
    label: Label
    lang: str
    """uk, ru, bg or en as given or detected; ``und`` for a text with no letters."""
    indicators: list[Hit]
    notes: list[str] = field(default_factory=list)
    """What could not be read, in English: an empty text, a cut one, bad bytes."""


def screen_ad(
    text: str, *, lang: str | None = None, title: str | None = None, classifier_on: bool = True
) -> Verdict:
    """Screen one ad. ``lang`` skips detection (a code not among uk, ru, bg and en is a
    ``FieldError`` on ``lang``); ``title`` is read by the classifier and for the
    language, while the spans point into ``text`` alone."""
    if not isinstance(text, str):
        text = _decoded(text)
    found = findings(text, lang if lang else _lang_of(text, title))
    return _verdict(found, title or "", classifier_on)


def screen_many(
    ads: Sequence[tuple[str, str | None, str | None]], *, classifier_on: bool = True
) -> list[Verdict]:
    """Screen ads given as (text, lang, title), with one call of the classifier."""
    found = [findings(text, lang if lang else _lang_of(text, title)) for text, lang, title in ads]
    if not classifier_on or not any(f.readable for f in found):
        return [_verdict(f, "", classifier_on) for f in found]
    texts = [_with_title(f, title or "") for f, (_, _, title) in zip(found, ads, strict=True)]
    risks = classifier.shipped().risk(texts, [f.hits for f in found])
    return [_labelled(f, r) if f.readable else _verdict(f, "", True)
            for f, r in zip(found, risks, strict=True)]  # fmt: skip


def _lang_of(text: str, title: str | None) -> str | None:
    # The title helps tell the language of a short text; the text is screened alone.
    if title and title.strip() and len(text) < 200:
        found = detect(title + "\n" + text)
        return found if found in LANGUAGES else None
    return None


def _with_title(found: Findings, title: str) -> str:
    return f"{title}\n{found.text}" if title else found.text


def _verdict(found: Findings, title: str, classifier_on: bool) -> Verdict:
    if not found.readable:
        return Verdict(0.0, "benign", found.lang, [], found.notes)
    if classifier_on and found.hits:
        risk = classifier.shipped().risk_of_one(_with_title(found, title), found.hits)
    elif classifier_on:
        risk = min(classifier.shipped().risk_of_one(_with_title(found, title), []), WORDLESS_CAP)
    else:
        risk = rules.risk(found.hits)
    return _labelled(found, risk)


def _labelled(found: Findings, risk: float) -> Verdict:
    if not any(h.words for h in found.hits):
        risk = min(risk, WORDLESS_CAP)
    risk = round(min(max(risk, 0.0), 1.0), 4)
    label: Label = "risky" if risk >= THRESHOLD else "benign"
    return Verdict(risk, label, found.lang, found.hits, found.notes)


def _decoded(data: object) -> str:
    """Bytes are read as UTF-8, with what cannot be decoded set aside (a note says so)."""
    if isinstance(data, bytes | bytearray):
        return bytes(data).decode("utf-8", errors="surrogateescape")
    raise TypeError(f"an ad's text is a str, not {type(data).__name__}")


__all__ = ["THRESHOLD", "Hit", "Label", "Verdict", "screen_ad", "screen_many"]
