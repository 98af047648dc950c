"""A CTDC-style anonymised export of victims: k-anonymity over the quasi-identifiers.

IOM's Counter Trafficking Data Collaborative (CTDC) publishes victim-level data in
which every combination of the quasi-identifiers (year of registration, gender, age
band, citizenship, country of exploitation) is shared by at least k = 11 records. This
module makes such a file from the store's victims (``nitka.ingest.htcds_rows``):

1. each quasi-identifier can be generalised along its own ladder: the age band to
   minor or adult, a country to its sub-region and region (rigour's territories, UN M49),
   any of them to ``*`` (not released);
2. the least generalisation (fewest steps up the ladders in all) that leaves at most
   ``max_suppressed`` of the records in classes smaller than k is chosen, the same
   ladder for every record (global recoding: a reader never meets ``UA`` beside
   ``Eastern Europe`` in one column);
3. the records still in classes smaller than k are left out, and counted.

Nothing else leaves: no name, no id, no date finer than the year of registration, and
the rows are sorted, so their order tells nothing of the order of registration.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product
from typing import IO

from rigour.territories import get_territory

from nitka.ingest.htcds_codes import AGE_BANDS, OPEN_BAND_FROM
from nitka.ingest.htcds_rows import VictimFacts

MIN_K = 11
"""CTDC's k: no file that leaves the unit has a smaller class."""
MAX_SUPPRESSED = 0.05
"""The share of records that may be left out before a quasi-identifier is generalised
further (a smaller share keeps more records, a larger one keeps more detail)."""
WITHHELD = "*"

QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
)
MEANS = {
    "meansDebtBondageEarnings": {"DebtBondage", "TakesEarnings", "RestrictsFinancialAccess"},
    "meansThreats": {"PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily"},
    "meansAbusePsyPhySex": {"PsychologicalAbuse", "PhysicalAbuse", "SexualAbuse"},
    "meansFalsePromises": {"FalsePromises"},
    "meansDrugsAlcohol": {"PsychoactiveSubstance"},
    "meansDenyBasicNeeds": {"WithholdsNecessities", "RestrictsMedicalCare"},
    "meansExcessiveWorkHours": {"ExcessiveWorkingHours"},
    "meansWithholdDocs": {"WithholdsDocuments"},
    "meansRestrictsMovement": {"RestrictsMovement"},
}
"""CTDC's means-of-control variables, each the HTCDS methods of control it counts."""
LABOUR = frozenset({"ForcedLabour", "ChildLabour"})
SEXUAL = frozenset({"SexualExploitation"})
ATTRIBUTES = (
    *MEANS,
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "recruiterRelationFamily",
)
COLUMNS = (*QUASI_IDENTIFIERS, *ATTRIBUTES)

GENDERS = {"male": "Man", "female": "Woman", "other": "Trans/Transgender/NonConforming"}
"""FtM's gender as CTDC writes it."""


def age_label(band: tuple[int, int] | None) -> str:
    """The CTDC band (``09--17``, ``48+``) that holds the whole of an age band; a band
    that spans two of CTDC's is given as minor or adult if it can be, else unknown."""
    if band is None:
        return ""
    low, high = band
    if low >= OPEN_BAND_FROM:
        return f"{OPEN_BAND_FROM}+"
    for start, end in AGE_BANDS:
        if start <= low and high <= end:
            return f"{start:02d}--{end}" if start else f"{start}--{end}"
    return _majority(band)


def _majority(band: tuple[int, int]) -> str:
    if band[1] <= 17:
        return "0--17"
    if band[0] >= 18:
        return "18+"
    return ""


def _age_ladder(band: tuple[int, int] | None) -> tuple[str, ...]:
    return (age_label(band), _majority(band) if band else "", WITHHELD)


def _country_ladder(code: str | None) -> tuple[str, ...]:
    territory = get_territory(code) if code else None
    if territory is None:
        unknown = code.upper() if code else ""
        return (unknown, unknown, unknown, WITHHELD)
    alpha3 = (territory.alpha3 or territory.code).upper()
    subregion = territory.subregion or territory.region or alpha3
    return (alpha3, subregion, territory.region or subregion, WITHHELD)


@dataclass(frozen=True)
class _Record:
    ladders: tuple[tuple[str, ...], ...]
    """One ladder per quasi-identifier: its value at each level of generalisation."""
    attributes: tuple[str, ...]


def _record(facts: VictimFacts) -> _Record:
    year = str(facts.year) if facts.year else ""
    gender = GENDERS.get(facts.gender or "", "")
    ladders = (
        (year, WITHHELD),
        (gender, WITHHELD),
        _age_ladder(facts.age),
        _country_ladder(facts.citizenship),
        _country_ladder(facts.exploitation_country),
    )
    other = facts.exploitation - LABOUR - SEXUAL
    flags = [bool(facts.controls & wanted) for wanted in MEANS.values()]
    flags += [bool(facts.exploitation & LABOUR), bool(facts.exploitation & SEXUAL), bool(other)]
    flags.append("Familial" in facts.relationships)
    return _Record(ladders, tuple("1" if flag else "0" for flag in flags))


@dataclass
class Anonymised:
    """The rows that may leave, and what was done to make them safe."""

    rows: list[dict[str, str]]
    suppressed: int
    """Records left out: in a class smaller than k even after generalising."""
    total: int
    k: int
    levels: dict[str, int]
    """How far each quasi-identifier was generalised (0: as recorded)."""

    def describe(self) -> str:
        raised = [f"{name} by {level}" for name, level in self.levels.items() if level]
        how = "generalised " + ", ".join(raised) if raised else "no generalisation"
        return (
            f"{len(self.rows):,} of {self.total:,} victims, k = {self.k}, {how}; "
            f"{self.suppressed:,} records suppressed"
        )


def check_k(k: int) -> int:
    """k as asked, refused below CTDC's 11: the file leaves the unit."""
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K} for anything that leaves the unit, not {k}")
    return k


def anonymise(
    victims: Sequence[VictimFacts], k: int = MIN_K, *, max_suppressed: float = MAX_SUPPRESSED
) -> Anonymised:
    """The victims generalised and suppressed until every class has at least k records."""
    check_k(k)
    records = [_record(facts) for facts in victims]
    heights = [len(ladder) for ladder in records[0].ladders] if records else [1] * 5
    nodes = sorted(product(*(range(h) for h in heights)), key=lambda n: (sum(n), n))
    budget = max_suppressed * len(records)
    best: tuple[int, tuple[int, ...]] | None = None
    for node in nodes:
        small = _suppressed(records, node, k)
        if best is None or small < best[0]:
            best = (small, node)
        if small <= budget:
            break
    assert best is not None
    node = best[1]
    keys = [_key(record, node) for record in records]
    sizes = Counter(keys)
    rows = [
        dict(zip(COLUMNS, (*key, *record.attributes), strict=True))
        for key, record in zip(keys, records, strict=True)
        if sizes[key] >= k
    ]
    rows.sort(key=lambda row: tuple(row[c] for c in COLUMNS))
    levels = dict(zip(QUASI_IDENTIFIERS, node, strict=True))
    return Anonymised(rows, len(records) - len(rows), len(records), k, levels)


def _key(record: _Record, node: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(ladder[level] for ladder, level in zip(record.ladders, node, strict=True))


def _suppressed(records: Sequence[_Record], node: tuple[int, ...], k: int) -> int:
    sizes = Counter(_key(record, node) for record in records)
    return sum(size for size in sizes.values() if size < k)


def write_csv(result: Anonymised, fh: IO[str]) -> None:
    writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(result.rows)


def classes(rows: Sequence[dict[str, str]]) -> Counter[tuple[str, ...]]:
    """The size of every combination of quasi-identifiers among the rows."""
    return Counter(tuple(row[name] for name in QUASI_IDENTIFIERS) for row in rows)
