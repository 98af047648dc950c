"""The rules: which indicators an ad shows, with the words that show them.

Phrases (``patterns.PHRASES``) are matched over the ad's lemmas, signs that
are not words (``patterns.RAW``) over its text; every hit keeps the
character spans of the words in the text as given. What an ad leaves out
is evidence too: an ad that names no company, no address and no licence
shows ``employer_hidden`` (a hit without words).

Risk comes from combinations: one indicator alone is common in honest ads
(urgency, no experience needed), so a single one scores low, and certain
pairs (a debt and kept papers, young women and "hostess") score high.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Final

from nitka.ads.indicators import CODES
from nitka.ads.matcher import Matcher
from nitka.ads.patterns import NEEDLES, PHRASES, RAW
from nitka.ads.text import Words


@dataclass(frozen=True, slots=True)
class Hit:
    """One indicator found in an ad: the words that show it, where they are."""

    code: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)


WEIGHTS: Final[dict[str, float]] = {
    "deception_pay": 1.0,
    "upfront_fee": 1.4,
    "debt_bondage": 1.6,
    "documents_retained": 2.2,
    "movement_restriction": 2.0,
    "employer_hidden": 0.6,
    "messenger_only": 0.8,
    "no_requirements": 0.4,
    "vague_job": 0.7,
    "urgency": 0.3,
    "targeted_young_women": 1.2,
    "photo_required": 0.7,
    "adult_services_hint": 1.4,
    "cash_only": 0.8,
    "irregular_visa": 1.6,
    "smuggling_driver": 2.0,
    "refugee_benefit_scheme": 2.4,
}
"""How much each indicator adds to the rules' score."""

PAIRS: Final[dict[frozenset[str], float]] = {
    frozenset(pair): bonus
    for pair, bonus in (
        (("debt_bondage", "documents_retained"), 1.5),
        (("targeted_young_women", "adult_services_hint"), 1.5),
        (("targeted_young_women", "photo_required"), 0.8),
        (("upfront_fee", "irregular_visa"), 1.0),
        (("deception_pay", "no_requirements"), 0.8),
        (("messenger_only", "employer_hidden"), 0.6),
        (("smuggling_driver", "deception_pay"), 1.0),
        (("refugee_benefit_scheme", "messenger_only"), 0.8),
        (("cash_only", "employer_hidden"), 0.5),
        (("deception_pay", "vague_job"), 0.6),
    )
}
"""Pairs that say more together than apart."""

SINGLE_CAP: Final = 1.5
"""The most one indicator can score on its own: risk comes from combinations."""

MIDPOINT: Final = 2.6
"""The score at which the rules' risk is one half."""

NAMED: Final = "named_employer"
"""The key of the phrases that name an employer: a company's legal form, a licence, an address."""

EMPLOYER_NAMED: Final = (
    "тов|тзов|пп|фоп|ооо|ип|зао|оод|еоод|ад|ет|llc|ltd|inc|gmbh|plc|staffing|recruitment",
    "ліцензі*|лиценз*|licen*|єдрпоу|едрпоу|еик|инн|булстат",
    "sp z_o_o|s_r_o|b_v",
    "реєстраційн*|регистрационен|registration|reg номер|no|number",
    "вул|вулиця|ул|улица|бул|булевард|просп*|street|road|avenue|str",
)

_QUOTED = re.compile(r"[«„“][^»“”\n]{2,60}[»“”]")
"""A name in quotes, as companies are written in uk, ru and bg."""


@cache
def _matcher() -> Matcher:
    phrases = [(code, phrase) for code in CODES for phrase in PHRASES.get(code, ())]
    return Matcher([*phrases, *((NAMED, phrase) for phrase in EMPLOYER_NAMED)])


@cache
def _compiled_raw() -> dict[str, tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]]:
    """code -> (pattern, its needles): see ``patterns.NEEDLES``."""
    return {code: tuple((re.compile(p, re.IGNORECASE), NEEDLES.get(p, ())) for p in RAW[code])
            for code in CODES if code in RAW}  # fmt: skip


def find(text: str, words: Words) -> list[Hit]:
    """The indicators of a cleaned text whose lemmas are ``words``, in code order."""
    matcher = _matcher()
    spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for code, first, last in matcher.find(matcher.atoms_of(words.tokens, words.lang)):
        spans[code].add((words.span(first)[0], words.span(last)[1]))
    folded = text.casefold()
    for code, patterns in _compiled_raw().items():
        for pattern, needles in patterns:
            if not needles or any(needle in folded for needle in needles):
                spans[code].update(m.span() for m in pattern.finditer(text))
    found: list[Hit] = []
    for code in CODES:
        if spans.get(code):
            kept = _outer(spans[code])
            found.append(Hit(code, kept, [text[a:b] for a, b in kept]))
    named = bool(spans.get(NAMED)) or bool(
        ("«" in text or "„" in text or "“" in text) and _QUOTED.search(text)
    )
    if not any(h.code == "employer_hidden" for h in found) and not named:
        found.append(Hit("employer_hidden"))
        found.sort(key=lambda h: CODES.index(h.code))
    return found


def _outer(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in order, overlapping ones joined."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if kept and start <= kept[-1][1]:
            kept[-1] = (kept[-1][0], max(kept[-1][1], end))
        else:
            kept.append((start, end))
    return kept


def score(hits: list[Hit]) -> float:
    """The rules' score of a set of hits: weights, capped alone, plus pairs."""
    codes = {h.code for h in hits}
    total = sum(WEIGHTS[c] for c in codes)
    worded = [h for h in hits if h.words]
    if len(codes) == 1 or len(worded) <= 1:
        total = min(total, SINGLE_CAP)
    for pair, bonus in PAIRS.items():
        if pair <= codes:
            total += bonus
    return total


def risk(hits: list[Hit]) -> float:
    """The rules' risk in [0, 1]: a logistic curve over ``score``."""
    return 1.0 / (1.0 + math.exp(-1.6 * (score(hits) - MIDPOINT)))
