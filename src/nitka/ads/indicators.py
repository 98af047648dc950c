"""The indicators of trafficking an ad is screened for, by code.

The codes are fixed (issue 24): checks, the CSV output and the chatbot name
them. Each has a description in English, Ukrainian, Russian and Bulgarian,
kept as data (``data/indicators.json``) so that the chatbot can show a
person the reasons in their language.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Final

import orjson

CODES: Final = (
    "deception_pay",
    "upfront_fee",
    "debt_bondage",
    "documents_retained",
    "movement_restriction",
    "employer_hidden",
    "messenger_only",
    "no_requirements",
    "vague_job",
    "urgency",
    "targeted_young_women",
    "photo_required",
    "adult_services_hint",
    "cash_only",
    "irregular_visa",
    "smuggling_driver",
    "refugee_benefit_scheme",
)
"""Every indicator code, in the order the issue lists them (and output shows them)."""

LANGUAGES: Final = ("uk", "ru", "bg", "en")
"""The languages ads are screened in, and the descriptions are given in."""


@cache
def descriptions() -> dict[str, dict[str, str]]:
    """code -> language -> description, read once from the package's data."""
    raw = files("nitka.ads").joinpath("data", "indicators.json").read_bytes()
    table: dict[str, dict[str, str]] = orjson.loads(raw)
    return table


def describe(code: str, lang: str = "en") -> str:
    """The description of an indicator in a language (English where there is none)."""
    texts = descriptions()[code]
    return texts.get(lang) or texts["en"]
