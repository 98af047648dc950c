"""The name matcher: cross-script cases from real data, variants, negatives, quality."""

import csv
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nitka.match.names import PartMatch, compare_names, name_score

FIXTURES = Path(__file__).parents[1] / "search" / "fixtures"
THRESHOLD = 0.7


def _eu_pairs() -> list[tuple[str, str]]:
    """120 persons of EU Regulation 269/2014: Latin name and Cyrillic alias (see fixtures)."""
    with (FIXTURES / "eu_latin_cyrillic_names.csv").open(encoding="utf-8") as fh:
        return [(row["latin"], row["cyrillic"]) for row in csv.DictReader(fh)]


def _variants(latin: str, cyrillic: str) -> list[tuple[str, str, str]]:
    """The Cyrillic name as an officer might type it: reordered, shortened, with initials."""
    cases = [("as listed", latin, cyrillic)]
    parts = cyrillic.split()
    if len(parts) == 3:
        given_name, patronymic, surname = parts
        cases += [
            ("surname first", latin, f"{surname} {given_name} {patronymic}"),
            ("no patronymic", latin, f"{given_name} {surname}"),
            ("initials", latin, f"{given_name[0]}. {patronymic[0]}. {surname}"),
        ]
    return cases


EU_CASES = [case for latin, cyrillic in _eu_pairs() for case in _variants(latin, cyrillic)]


def test_the_eu_cases_are_many_and_cross_script() -> None:
    assert len(EU_CASES) >= 400


@pytest.mark.parametrize(("variant", "latin", "cyrillic"), EU_CASES)
def test_eu_sanctioned_persons_match_across_scripts(
    variant: str, latin: str, cyrillic: str
) -> None:
    result = compare_names(latin, cyrillic)
    assert result.score >= THRESHOLD, (variant, result.explain())


def _fixture_pairs() -> list[tuple[str, str]]:
    with (FIXTURES / "cross_script_pairs.csv").open(encoding="utf-8") as fh:
        return [(r["latin"], r["cyrillic"]) for r in csv.DictReader(fh) if r["expect"] == "match"]


@pytest.mark.parametrize(("latin", "cyrillic"), _fixture_pairs())
def test_real_cross_script_pairs_match(latin: str, cyrillic: str) -> None:
    """EU 269/2014 and 765/2006, Moldovan MPs in six Cyrillic languages, nomenklatura cases."""
    result = compare_names(latin, cyrillic)
    assert result.score >= THRESHOLD, result.explain()


def test_different_sanctioned_persons_do_not_match() -> None:
    pairs = _eu_pairs()
    rng = random.Random(2016680)
    false_hits = []
    for _ in range(2000):
        (latin, _), (_, cyrillic) = rng.sample(pairs, 2)
        if compare_names(latin, cyrillic).score >= THRESHOLD:
            false_hits.append((latin, cyrillic))
    assert false_hits == []


@pytest.mark.parametrize(
    "spelling",
    [
        "Oleksandr Petrenko",
        "Aleksandr Petrenko",
        "Alexander Petrenko",
        "Olexandr Petrenko",
        "Александр Петренко",
        "PETRENKO Oleksandr",
        "Petrenko O.",
        "Oleksandr Mykolaiovych Petrenko",
        "Oleksander Petrenco",
    ],
)
def test_the_petrenkos(spelling: str) -> None:
    result = compare_names("Олександр Петренко", spelling)
    assert result.score >= THRESHOLD, result.explain()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Олександр Петренко", "Олександр Петрук"),
        ("Олександр Петренко", "Олена Петренко"),
        ("Oleksandr Petrenko", "Petro Oleksandrenko"),
        ("Sergey Ivanov", "Sergey Viktorovich Lavrov"),
        ("Петренко", "Олександр Петренко"),
        ("SALMAN BIN MUHAMMAD AL-RAWI", "MUHAMMAD BIN SALMAN AL-RAWI"),
    ],
)
def test_other_people_do_not_match(left: str, right: str) -> None:
    result = compare_names(left, right)
    assert result.score < THRESHOLD, result.explain()


def test_double_surnames_and_hyphens() -> None:
    assert compare_names("Ілліч-Світич Ігор", "Igor Illich Svitych").score >= THRESHOLD
    assert compare_names("Pricewaterhouse Coopers", "PricewaterhouseCoopers").score == 1.0


@pytest.mark.parametrize(
    ("apart", "together"),
    [
        ("Ілліч Світич Ігор", "Illichsvitych Igor"),
        ("Igor Illich Svitych", "Ігор Ілліччсвітич"),
        ("Олександр Петренко", "Oleksandrpetrenko"),
    ],
)
def test_two_words_written_as_one_match_across_scripts_from_either_side(
    apart: str, together: str
) -> None:
    assert compare_names(apart, together).score == 1.0
    assert compare_names(together, apart).score == 1.0


def test_every_score_is_explained() -> None:
    result = compare_names("Petrenko O. M.", "Олександр Петренко")
    kinds = {pair.how for pair in result.pairs}
    assert PartMatch.SCRIPT in kinds and PartMatch.INITIAL in kinds
    explanation = result.explain()
    assert "petrenko / петренко: script (1.00)" in explanation
    assert "m / -: only in the first name" in explanation
    typo = compare_names("Olaf Schloz", "Olaf Scholz")
    assert [p.how for p in typo.pairs] == [PartMatch.EXACT, PartMatch.TYPO]
    conflict = compare_names("Octavian Scholz", "Olaf Scholz")
    assert any("conflict" in note for note in conflict.notes)


def test_a_name_without_letters_scores_zero_with_a_reason() -> None:
    result = compare_names("", "Oleksandr Petrenko")
    assert result.score == 0.0
    assert result.notes == ["a name has no letters to compare"]
    assert compare_names("---", "...").score == 0.0


def test_quality_on_nomenklaturas_name_benchmark(shared_data: Path) -> None:
    """826 labelled pairs (OpenSanctions); figures beside logic-v2 in docs/benchmarks.md."""
    path = shared_data / "opensanctions_name_matching" / "nomenklatura_name_bench_cases.csv"
    with path.open(encoding="utf-8") as fh:
        cases = [(r["name1"], r["name2"], r["is_match"] == "true") for r in csv.DictReader(fh)]
    assert len(cases) == 826
    hits = [(compare_names(a, b).score >= THRESHOLD, truth) for a, b, truth in cases]
    tp = sum(1 for hit, truth in hits if hit and truth)
    precision = tp / sum(1 for hit, _ in hits if hit)
    recall = tp / sum(1 for _, truth in hits if truth)
    assert precision >= 0.85
    assert recall >= 0.8
    assert 2 * precision * recall / (precision + recall) >= 0.85


def test_the_score_without_explanation_is_the_same_score(shared_data: Path) -> None:
    """A check scores candidates with ``name_score`` and explains only its hits:
    on every pair of the name benchmark both give the same score."""
    path = shared_data / "opensanctions_name_matching" / "nomenklatura_name_bench_cases.csv"
    with path.open(encoding="utf-8") as fh:
        cases = [(r["name1"], r["name2"]) for r in csv.DictReader(fh)]
    pairs = cases + [(b, a) for a, b in cases] + [(a, a) for a, _ in cases]
    differ = [(a, b) for a, b in pairs if name_score(a, b) != compare_names(a, b).score]
    assert differ == []


NAME = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzабвгдеєжзиіїйклмнопрстуфхцчшщьюя -'.", max_size=40
)


@given(NAME, NAME)
def test_scores_are_between_zero_and_one(left: str, right: str) -> None:
    assert 0.0 <= compare_names(left, right).score <= 1.0


@given(NAME)
def test_a_name_matches_itself(name: str) -> None:
    result = compare_names(name, name)
    assert result.score == (1.0 if result.pairs else 0.0)


@given(NAME, NAME)
def test_score_alone_equals_the_explained_score(left: str, right: str) -> None:
    assert name_score(left, right) == compare_names(left, right).score
