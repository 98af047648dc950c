"""Comparing a checked person, document or vehicle with a watch-list entry.

The score starts from what identifies the schema best (the names of a
person, the number of a document, the VIN or plate of a vehicle) and is then
moved by every other property both sides give: birth dates, gender,
nationality, identifiers, country. Each step is kept as evidence, so an
officer sees why a check hit: "names: script 1.00; birth date 1984-03-04 /
1984-04-03: swapped; passport number agrees".
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass, field

from followthemoney import EntityProxy

from nitka.match.dates import DATE_WEIGHT, best_date_match
from nitka.match.names import NameComparison, compare_names, name_score
from nitka.normalise.keys import (
    DOCUMENT_NUMBERS,
    document_key,
    identifier_key,
    vehicle_key,
)

NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
PERSON_IDENTIFIERS = {
    "passportNumber": "passport",
    "idNumber": "idcard",
    "taxNumber": "national",
    "innCode": "national",
    "socialSecurityNumber": "national",
    "phone": "phone",
}
COUNTRY_PROPS = ("nationality", "citizenship", "country")

IDENTIFIER_AGREES = 0.92
"""The score floor when an identifier agrees, whatever the names say."""
GENDER_CONFLICT = -0.25
COUNTRY_AGREES = 0.02
COUNTRY_CONFLICT = -0.05
DOCUMENT_COUNTRY_CONFLICT = -0.35
"""Document numbers and plates repeat across countries: another country's
document with the same number is another document."""
MAX_NAMES = 12
"""Names compared per side (lists give some persons dozens of aliases)."""


@dataclass(frozen=True)
class Evidence:
    what: str
    """The property compared: name, birthDate, gender, nationality, an identifier."""
    detail: str
    effect: float
    """What it did to the score: positive for agreement, negative for conflict."""

    def describe(self) -> str:
        sign = "+" if self.effect > 0 else ""
        effect = f" ({sign}{self.effect:.2f})" if self.effect else ""
        return f"{self.what}: {self.detail}{effect}"


@dataclass
class EntityComparison:
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    names: NameComparison | None = None

    def explain(self) -> list[str]:
        lines = [e.describe() for e in self.evidence]
        if self.names is not None:
            lines += [f"  {line}" for line in self.names.explain()]
        return lines


def compare_entities(query: EntityProxy, candidate: EntityProxy) -> EntityComparison:
    """Score a query entity against a candidate of a compatible schema, in [0, 1]."""
    if query.schema.is_a("Vehicle"):
        return _compare_vehicles(query, candidate)
    if query.schema.is_a("Identification"):
        return _compare_documents(query, candidate)
    return compare_parties(Party.of(query), Party.of(candidate))


@dataclass(frozen=True)
class Party:
    """What a person or organisation is compared by, read from its entity once.

    A check compares one query with several list entries, and an entry with
    many checks: reading the properties once for each saves most of the
    work that is not comparing names.
    """

    names: list[str]
    births: list[str]
    genders: frozenset[str]
    countries: frozenset[str]
    identifiers: dict[str, set[str]]

    @classmethod
    def of(cls, entity: EntityProxy) -> Party:
        return cls(
            names=names_of(entity),
            births=entity.get("birthDate", quiet=True),
            genders=frozenset(entity.get("gender", quiet=True)),
            countries=frozenset(_country_set(entity)),
            identifiers=identifier_keys(entity, PERSON_IDENTIFIERS),
        )


def names_of(entity: EntityProxy) -> list[str]:
    """The names to compare: listed names, else first and last name put together."""
    names: list[str] = []
    for prop in NAME_PROPS:
        if prop in entity.schema.properties:
            names.extend(entity.get(prop, quiet=True))
    if not names:
        given = " ".join(entity.get("firstName", quiet=True) + entity.get("givenName", quiet=True))
        family = " ".join(entity.get("lastName", quiet=True) + entity.get("surname", quiet=True))
        joined = f"{given} {family}".strip()
        if joined:
            names.append(joined)
    return list(dict.fromkeys(names))[:MAX_NAMES]


def best_names(left: Iterable[str], right: Iterable[str]) -> NameComparison | None:
    best: NameComparison | None = None
    rights = list(right)
    for a in left:
        for b in rights:
            result = compare_names(a, b)
            if best is None or result.score > best.score:
                best = result
    return best


def identifier_keys(entity: EntityProxy, props: dict[str, str]) -> dict[str, set[str]]:
    """Normalised identifiers by kind; values that do not validate are compared as given."""
    found: dict[str, set[str]] = {}
    for prop, kind in props.items():
        if prop not in entity.schema.properties:
            continue
        for value in entity.get(prop, quiet=True):
            found.setdefault(kind, set()).add(identifier_key(kind, value))
    return found


def compare_parties(query: Party, candidate: Party) -> EntityComparison:
    """Names first; agreement adds (up to 1.0), conflict subtracts after that.

    Adding and subtracting in two steps keeps a conflict visible: a perfect
    name with an exact date cannot absorb a wrong gender by having more than 1.0.
    """
    evidence: list[Evidence] = []
    names = best_names(query.names, candidate.names)
    if names is not None:
        evidence.append(Evidence("name", f"{names.left} / {names.right}: {names.score:.2f}", 0.0))
    base = names.score if names is not None else 0.0
    return EntityComparison(_party_score(query, candidate, base, evidence), evidence, names)


def party_score(query: Party, candidate: Party) -> float:
    """``compare_parties(query, candidate).score``, without building its explanation
    (a check explains its hits only)."""
    base = max((name_score(a, b) for a in query.names for b in candidate.names), default=0.0)
    return _party_score(query, candidate, base, None)


def _party_score(
    query: Party, candidate: Party, base: float, evidence: list[Evidence] | None
) -> float:
    """The score of two parties whose best names scored ``base``; what agreed
    or conflicted goes into ``evidence`` unless it is None."""
    effects: list[float] = []
    dates = best_date_match(query.births, candidate.births)
    if dates is not None:
        effect = DATE_WEIGHT[dates.how]
        if evidence is not None:
            detail = f"{dates.left} / {dates.right}: {dates.how}"
            evidence.append(Evidence("birthDate", detail, effect))
        effects.append(effect)
    if query.genders and candidate.genders and not query.genders & candidate.genders:
        if evidence is not None:
            detail = f"{_list(query.genders)} / {_list(candidate.genders)}"
            evidence.append(Evidence("gender", detail, GENDER_CONFLICT))
        effects.append(GENDER_CONFLICT)
    effects.append(
        _country_effect(
            query.countries, candidate.countries, evidence, COUNTRY_AGREES, COUNTRY_CONFLICT
        )
    )
    score = min(1.0, base + sum(e for e in effects if e > 0)) + sum(e for e in effects if e < 0)
    ours, theirs = query.identifiers, candidate.identifiers
    for kind in sorted(ours.keys() & theirs.keys()):
        shared = ours[kind] & theirs[kind]
        if shared:
            if evidence is not None:
                evidence.append(Evidence(kind, f"{_list(shared)} agrees", 0.0))
            score = max(score, IDENTIFIER_AGREES)
    return _clamp(score)


def _compare_documents(query: EntityProxy, candidate: EntityProxy) -> EntityComparison:
    evidence: list[Evidence] = []
    ours = document_numbers(query)
    theirs = document_numbers(candidate)
    shared = ours & theirs
    if not shared:
        return EntityComparison(0.0, [Evidence("number", "no document number agrees", 0.0)])
    score = 1.0
    evidence.append(Evidence("number", f"{_list(shared)} agrees", 0.0))
    score += _countries(query, candidate, evidence, 0.0, DOCUMENT_COUNTRY_CONFLICT)
    names = best_names(names_of(query), names_of(candidate))
    if names is not None and names.score < 0.5:
        evidence.append(Evidence("holder", f"{names.left} / {names.right}: other name", 0.0))
    return EntityComparison(_clamp(score), evidence, names)


def document_numbers(entity: EntityProxy) -> set[str]:
    numbers: set[str] = set()
    for prop in DOCUMENT_NUMBERS:
        if prop in entity.schema.properties:
            numbers |= {document_key(v) for v in entity.get(prop, quiet=True)}
    return numbers


def _compare_vehicles(query: EntityProxy, candidate: EntityProxy) -> EntityComparison:
    evidence: list[Evidence] = []
    ours = vehicle_keys(query)
    theirs = vehicle_keys(candidate)
    vins = ours["vin"] & theirs["vin"]
    plates = ours["plate"] & theirs["plate"]
    if vins:
        # A VIN is unique in the world: no country can make it another car.
        evidence.append(Evidence("vin", f"{_list(vins)} agrees", 0.0))
        return EntityComparison(1.0, evidence)
    if not plates:
        return EntityComparison(0.0, [Evidence("vehicle", "no VIN or plate agrees", 0.0)])
    evidence.append(Evidence("plate", f"{_list(plates)} agrees", 0.0))
    score = 1.0 + _countries(query, candidate, evidence, 0.0, DOCUMENT_COUNTRY_CONFLICT)
    return EntityComparison(_clamp(score), evidence)


def vehicle_keys(entity: EntityProxy) -> dict[str, set[str]]:
    """A vehicle's VINs and plates, normalised: ``{"vin": {...}, "plate": {...}}``.

    FtM's Vehicle has one identifier property, ``registrationNumber``; Nitka
    keeps both the plate and the VIN there and tells them apart by form: a
    value that is a valid VIN is one.
    """
    keys: dict[str, set[str]] = {"vin": set(), "plate": set()}
    for value in entity.get("registrationNumber", quiet=True):
        kind, key = vehicle_key(value)
        keys[kind].add(key)
    return keys


def _countries(
    query: EntityProxy,
    candidate: EntityProxy,
    evidence: list[Evidence],
    agrees: float,
    conflict: float,
) -> float:
    return _country_effect(_country_set(query), _country_set(candidate), evidence, agrees, conflict)


def _country_effect(
    ours: Set[str],
    theirs: Set[str],
    evidence: list[Evidence] | None,
    agrees: float,
    conflict: float,
) -> float:
    if not ours or not theirs:
        return 0.0
    if ours & theirs:
        if agrees and evidence is not None:
            evidence.append(Evidence("country", f"{_list(ours & theirs)} agrees", agrees))
        return agrees
    if evidence is not None:
        evidence.append(Evidence("country", f"{_list(ours)} / {_list(theirs)}", conflict))
    return conflict


def _country_set(entity: EntityProxy) -> set[str]:
    found: set[str] = set()
    for prop in COUNTRY_PROPS:
        if prop in entity.schema.properties:
            found.update(entity.get(prop, quiet=True))
    return found


def _list(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))


def _clamp(score: float) -> float:
    return round(min(max(score, 0.0), 1.0), 4)
