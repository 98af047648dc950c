"""A group's score under a weight profile, term by term, and how rankings differ.

The score is deterministic: each attribute's term is its weight times the points of
its rating (nil 0, low 1, medium 2, high 3); an ``unknown`` rating adds nothing and
is counted apart (``known_weight``), so that a score resting on little is seen to.
The score is the sum of the terms as a share of the profile's greatest sum (every
attribute rated high), in percent.

Rankings under two profiles are compared with Kendall's tau-b over the groups'
scores (ties allowed): 1 is the same order, -1 the reverse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from nitka.assess.profiles import Profile
from nitka.assess.scale import TOP, Attribute, Level


@dataclass(frozen=True)
class Term:
    attribute: Attribute
    weight: float
    level: Level
    points: int | None
    contribution: float
    maximum: float

    def explain(self) -> str:
        if self.points is None:
            return (
                f"{self.attribute.value}: unknown x weight {self.weight:g} = nothing "
                f"(of {self.maximum:g})"
            )
        return (
            f"{self.attribute.value}: {self.level.value} ({self.points} points) x weight "
            f"{self.weight:g} = {self.contribution:g} of {self.maximum:g}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute.value,
            "weight": self.weight,
            "level": self.level.value,
            "points": self.points,
            "contribution": self.contribution,
            "maximum": self.maximum,
            "explanation": self.explain(),
        }


@dataclass(frozen=True)
class Score:
    profile: str
    terms: list[Term]
    total: float
    maximum: float
    known_weight: float
    """The share (0 to 1) of the profile's weight whose attribute is rated, not unknown."""

    @property
    def percent(self) -> float:
        return round(100 * self.total / self.maximum, 2) if self.maximum else 0.0

    def explain(self) -> str:
        return (
            f"{self.total:g} of {self.maximum:g} = {self.percent:g}% under {self.profile}; "
            f"{round(100 * self.known_weight):g}% of the weight rests on known ratings"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "score": self.percent,
            "total": self.total,
            "maximum": self.maximum,
            "known_weight": round(self.known_weight, 4),
            "explanation": self.explain(),
            "terms": [term.as_dict() for term in self.terms],
        }


def score(levels: Mapping[Attribute, Level], profile: Profile) -> Score:
    """The score of a group rated ``levels`` (an attribute not rated is unknown)."""
    terms = []
    for attribute, weight in profile.weights.items():
        level = levels.get(attribute, Level.UNKNOWN)
        points = level.points
        terms.append(
            Term(
                attribute,
                weight,
                level,
                points,
                0.0 if points is None else weight * points,
                weight * TOP,
            )
        )
    weight_sum = sum(profile.weights.values())
    known = sum(term.weight for term in terms if term.points is not None)
    return Score(
        profile.name,
        terms,
        sum(t.contribution for t in terms),
        sum(t.maximum for t in terms),
        known / weight_sum if weight_sum else 0.0,
    )


def ranking(scores: Mapping[str, float]) -> list[str]:
    """Group ids from the highest score down; equal scores in id order."""
    return sorted(scores, key=lambda group: (-scores[group], group))


def kendall_tau(first: Sequence[float], second: Sequence[float]) -> float | None:
    """Kendall's tau-b of two paired lists of scores; None when either has no two
    different values (no order to compare)."""
    if len(first) != len(second):
        raise ValueError("Kendall's tau compares paired lists of the same length")
    concordant = discordant = tied_first = tied_second = 0
    for i, j in combinations(range(len(first)), 2):
        a = (first[i] > first[j]) - (first[i] < first[j])
        b = (second[i] > second[j]) - (second[i] < second[j])
        if a == 0 and b == 0:
            continue
        if a == 0:
            tied_first += 1
        elif b == 0:
            tied_second += 1
        elif a == b:
            concordant += 1
        else:
            discordant += 1
    pairs_first = concordant + discordant + tied_second
    pairs_second = concordant + discordant + tied_first
    if not pairs_first or not pairs_second:
        return None
    return float((concordant - discordant) / (pairs_first * pairs_second) ** 0.5)


@dataclass(frozen=True)
class Comparison:
    """The groups ranked under each profile, and Kendall's tau between every two."""

    rankings: dict[str, list[tuple[str, float]]]
    taus: list[tuple[str, str, float | None]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rankings": {
                profile: [
                    {"rank": n, "group": group, "score": value}
                    for n, (group, value) in enumerate(ranked, start=1)
                ]
                for profile, ranked in self.rankings.items()
            },
            "kendall_tau": [
                {"profiles": [a, b], "tau": None if tau is None else round(tau, 4)}
                for a, b, tau in self.taus
            ],
        }


def compare(
    groups: Mapping[str, Mapping[Attribute, Level]], profiles: Sequence[Profile]
) -> Comparison:
    """Rank the groups under every profile and compare every two rankings."""
    ids = sorted(groups)
    percents = {p.name: {g: score(groups[g], p).percent for g in ids} for p in profiles}
    rankings = {name: [(g, found[g]) for g in ranking(found)] for name, found in percents.items()}
    taus = [
        (
            a.name,
            b.name,
            kendall_tau([percents[a.name][g] for g in ids], [percents[b.name][g] for g in ids]),
        )
        for a, b in combinations(profiles, 2)
    ]
    return Comparison(rankings, taus)
