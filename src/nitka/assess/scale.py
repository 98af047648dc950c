"""The attributes a group is rated on, and the ordinal scale of a rating.

The scale is Sleipnir's (High, Medium, Low, Nil, Unknown): ``unknown`` is always a
rating of its own, never read as nil, so that a score says how much of it rests on
what is not known.
"""

from __future__ import annotations

from enum import StrEnum

from nitka.errors import FieldError


class Level(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NIL = "nil"
    UNKNOWN = "unknown"

    @property
    def points(self) -> int | None:
        """Points on the scale (nil 0 to high 3); None for unknown, which adds nothing."""
        return _POINTS[self]


_POINTS = {Level.HIGH: 3, Level.MEDIUM: 2, Level.LOW: 1, Level.NIL: 0, Level.UNKNOWN: None}
TOP = 3
"""The points of ``high``: a profile's greatest score is every weight times this."""


class Attribute(StrEnum):
    CORRUPTION = "corruption"
    VIOLENCE = "violence"
    LEGAL_BUSINESS = "legal_business"
    COUNTERMEASURES = "countermeasures"
    INTERNATIONAL = "international"
    MULTI_CRIME = "multi_crime"
    MONEY_LAUNDERING = "money_laundering"
    EXPERTISE = "expertise"
    SIZE = "size"
    ADAPTABILITY = "adaptability"
    LINKS = "links"

    @property
    def meaning(self) -> str:
        return MEANINGS[self]


MEANINGS = {
    Attribute.CORRUPTION: "Corruption of officials (police, customs, courts, politicians).",
    Attribute.VIOLENCE: "Use or threat of violence, inside the group and against others.",
    Attribute.LEGAL_BUSINESS: "Use of legal business structures (firms, agencies, employers).",
    Attribute.COUNTERMEASURES: "Counter-measures against law enforcement (insulation, "
    "counter-surveillance, encrypted communication).",
    Attribute.INTERNATIONAL: "International dimension: activity and members in several states.",
    Attribute.MULTI_CRIME: "Multi-crime activity: crimes beside trafficking.",
    Attribute.MONEY_LAUNDERING: "Money laundering of the proceeds.",
    Attribute.EXPERTISE: "Expertise and resources (forgery, logistics, capital).",
    Attribute.SIZE: "Size: how many members and associates.",
    Attribute.ADAPTABILITY: "Adaptability: how quickly the group changes routes, methods, people.",
    Attribute.LINKS: "Links to other organised crime groups.",
}


def parse_level(text: str, *, field: str = "level") -> Level:
    try:
        return Level(text.strip().lower())
    except ValueError:
        known = ", ".join(level.value for level in Level)
        raise FieldError(f"a rating is one of {known}, not {text!r}", field=field) from None


def parse_attribute(text: str, *, field: str = "attribute") -> Attribute:
    try:
        return Attribute(text.strip().lower())
    except ValueError:
        known = ", ".join(attribute.value for attribute in Attribute)
        raise FieldError(f"unknown attribute {text!r}: one of {known}", field=field) from None
