"""Ratings suggested from the data, for an analyst to take or leave (never scored
until rated): size from the group's memberships, the international dimension from
the countries of its members and of the events it organises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nitka.assess.facts import CaseFacts
from nitka.assess.phrases import Phrase
from nitka.assess.scale import Attribute, Level

SIZE_BANDS = ((20, Level.HIGH), (8, Level.MEDIUM), (3, Level.LOW))
"""Members at least this many: the level suggested for size (fewer than 3: nil)."""
COUNTRY_BANDS = ((4, Level.HIGH), (3, Level.MEDIUM), (2, Level.LOW))
"""Countries at least this many: the level suggested for the international dimension."""


@dataclass(frozen=True)
class Suggestion:
    attribute: Attribute
    level: Level
    said: Phrase
    """Why it is suggested, as a key and values (``phrases.PHRASES``)."""
    evidence: list[str]

    @property
    def why(self) -> str:
        """Why it is suggested, in English."""
        return self.said.text()

    def as_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute.value,
            "level": self.level.value,
            "why": self.why,
            "why_key": self.said.key,
            "why_values": dict(self.said.values),
            "evidence": self.evidence,
        }


def suggest(facts: CaseFacts, group_id: str) -> list[Suggestion]:
    """Suggestions for one group from the facts around it (its memberships, events)."""
    memberships = [m for m in facts.of_schema("Membership") if group_id in m.values("organization")]
    members = {v: m.evidence("member", v) for m in memberships for v in m.values("member")}
    found = []
    if memberships:
        level = next((lvl for least, lvl in SIZE_BANDS if len(members) >= least), Level.NIL)
        found.append(
            Suggestion(
                Attribute.SIZE,
                level,
                Phrase.of("suggest.size", n=len(members)),
                [i for ids in members.values() for i in ids],
            )
        )
    people = [facts.entities[m] for m in members if m in facts.entities]
    events = [e for e in facts.of_schema("Event") if group_id in e.values("organizer")]
    countries = facts.countries(events)
    for prop in ("country", "nationality"):
        for country, ids in facts.countries(people, prop).items():
            countries.setdefault(country, []).extend(ids)
    if countries:
        level = next((lvl for least, lvl in COUNTRY_BANDS if len(countries) >= least), Level.NIL)
        found.append(
            Suggestion(
                Attribute.INTERNATIONAL,
                level,
                Phrase.of("suggest.international", countries=", ".join(sorted(countries))),
                [i for ids in countries.values() for i in ids],
            )
        )
    return found
