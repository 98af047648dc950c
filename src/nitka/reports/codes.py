"""The codes of the THB case data convention (docs/thb-case-data.md) and how they
map onto the categories of UNODC's GLOTIP and Eurostat's trafficking statistics."""

from __future__ import annotations

EXPLOITATION = (
    "sexual",
    "forced_labour",
    "forced_criminality",
    "begging",
    "forced_marriage",
    "organ_removal",
    "slavery",
    "other",
)
"""``Event:keywords`` ``exploitation:<code>``, the convention's forms."""

GLOTIP_FORM = {
    "sexual": "Sexual exploitation",
    "forced_labour": "Forced labour",
}
"""GLOTIP's ``by form of exploitation`` categories; every other form is GLOTIP's
"Other forms of exploitation"."""
GLOTIP_OTHER_FORM = "Other forms of exploitation"

EUROSTAT_FORM = {"sexual": "sexual", "forced_labour": "labour"}
"""Eurostat's victims by form of exploitation: sexual, labour and other forms."""

SEXES = ("female", "male", "other", "unknown")
GLOTIP_SEX = {"female": "Female", "male": "Male", "other": "Other", "unknown": "Unknown"}
EUROSTAT_SEX = {"female": "F", "male": "M", "other": "UNK", "unknown": "UNK"}
"""Eurostat's sex codes have no "other": it is counted with the unknown."""

AGE_GROUPS = ("child", "adult", "unknown")
"""Children are 0 to 17 years old at detection, adults 18 or over."""
GLOTIP_AGE = {"child": "0 to 17 years", "adult": "18 years or over", "unknown": "Unknown"}
EUROSTAT_AGE = {"child": "Y_LT18", "adult": "Y_GE18", "unknown": "UNK"}
AGE_BANDS = ((0, 11), (12, 17), (18, 24), (25, 34), (35, 49), (50, 150))
"""The finer bands of the age table: a band from an ``age:<from>-<to>`` keyword
counts only when it falls wholly inside one of these."""

EU_MEMBERS = frozenset(
    {
        "at",
        "be",
        "bg",
        "cy",
        "cz",
        "de",
        "dk",
        "ee",
        "es",
        "fi",
        "fr",
        "gr",
        "hr",
        "hu",
        "ie",
        "it",
        "lt",
        "lu",
        "lv",
        "mt",
        "nl",
        "pl",
        "pt",
        "ro",
        "se",
        "si",
        "sk",
    }
)
"""For Eurostat's citizenship groups: the reporting country, another EU Member
State, a country outside the EU."""

OFFENDER_CATEGORIES = ("suspect", "convicted")
VICTIM_CATEGORY = "victim"

REPORT_KEYWORD = "report:possible_thb"
LOCATED_KEYWORD = "located"
EXTRADITION_OUTCOMES = ("requested", "granted", "refused")
CONVICTED_STATUS = "convicted"
ACQUITTED_STATUS = "acquitted"
