"""The CTDC-style anonymised export: every combination of quasi-identifiers, counted in the
output, is shared by at least k records; small ones are generalised, then suppressed."""

from __future__ import annotations

import io
import random
from collections import Counter

import pytest

from nitka.ingest.htcds_rows import VictimFacts
from nitka.reports.anonymised import (
    COLUMNS,
    MIN_K,
    QUASI_IDENTIFIERS,
    WITHHELD,
    age_label,
    anonymise,
    write_csv,
)

COUNTRIES = ["ua", "md", "bg", "ro", "pl", "de", "ng", "vn", "th", "br", "us", "mx"]


def _victims(count: int, seed: int = 7) -> list[VictimFacts]:
    rng = random.Random(seed)
    victims = []
    for _ in range(count):
        years = rng.randrange(0, 70)
        age = rng.choice([None, (years, years), (9, 17), (18, 20)])
        victims.append(
            VictimFacts(
                gender=rng.choice(["male", "female", "female", "other", None]),
                age=age,
                citizenship=rng.choice([*COUNTRIES, None]),
                year=rng.choice([2021, 2022, 2023, 2024]),
                exploitation_country=rng.choice(["de", "pl", "it", None]),
                controls=frozenset(rng.sample(["DebtBondage", "PhysicalAbuse", "Other"], 1)),
                exploitation=frozenset([rng.choice(["ForcedLabour", "SexualExploitation"])]),
                relationships=frozenset(),
            )
        )
    return victims


def _every_combination(rows: list[dict[str, str]]) -> Counter[tuple[str, ...]]:
    """Counted here, not by the module under test."""
    counts: Counter[tuple[str, ...]] = Counter()
    for row in rows:
        counts[tuple(row[name] for name in QUASI_IDENTIFIERS)] += 1
    return counts


@pytest.mark.parametrize(("count", "k"), [(50, 11), (400, 11), (2000, 11), (2000, 25)])
def test_every_combination_has_at_least_k_records(count: int, k: int) -> None:
    result = anonymise(_victims(count), k)
    combinations = _every_combination(result.rows)
    assert combinations, "something is released"
    assert min(combinations.values()) >= k
    assert len(result.rows) + result.suppressed == count
    assert result.suppressed <= 0.05 * count or all(result.levels.values())


def test_small_groups_are_generalised_before_they_are_suppressed() -> None:
    result = anonymise(_victims(400), MIN_K)
    assert any(result.levels.values())
    as_recorded = anonymise(_victims(400), MIN_K, max_suppressed=1.0)
    assert not any(as_recorded.levels.values())
    assert as_recorded.suppressed > result.suppressed


def test_nothing_below_eleven() -> None:
    with pytest.raises(ValueError, match="at least 11"):
        anonymise(_victims(100), 10)


def test_no_name_id_or_date_finer_than_a_year_leaves() -> None:
    result = anonymise(_victims(600), MIN_K)
    out = io.StringIO()
    write_csv(result, out)
    header = out.getvalue().splitlines()[0].split(",")
    assert header == list(COLUMNS)
    for row in result.rows:
        assert row["yearOfRegistration"] in {"2021", "2022", "2023", "2024", "", WITHHELD}
    assert result.rows == sorted(result.rows, key=lambda r: tuple(r[c] for c in COLUMNS))


def test_fewer_victims_than_k_release_nothing() -> None:
    result = anonymise(_victims(10), MIN_K)
    assert result.rows == [] and result.suppressed == 10


@pytest.mark.parametrize(
    ("band", "label"),
    [((0, 8), "0--8"), ((9, 17), "09--17"), ((19, 19), "18--20"), ((48, 120), "48+"),
     ((16, 19), ""), ((10, 12), "09--17"), ((25, 40), "18+"), (None, "")],
)  # fmt: skip
def test_age_bands_are_ctdcs(band: tuple[int, int] | None, label: str) -> None:
    assert age_label(band) == label


def test_the_setting_refuses_a_k_below_eleven() -> None:
    from pydantic import ValidationError

    from nitka.settings import Settings

    assert Settings().anonymity_k == MIN_K
    with pytest.raises(ValidationError):
        Settings(anonymity_k=10)
