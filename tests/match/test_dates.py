"""Birth dates as lists and officers give them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nitka.match.dates import DateMatch, best_date_match, compare_dates, parse_date


@pytest.mark.parametrize(
    ("left", "right", "how"),
    [
        ("1984-03-04", "1984-03-04", DateMatch.EXACT),
        ("1984", "1984-03-04", DateMatch.PARTIAL),
        ("1984-03", "1984-03-04", DateMatch.PARTIAL),
        ("1984-03-04", "1984-04-03", DateMatch.SWAPPED),
        ("1984-03-04", "1985-03-04", DateMatch.NEAR),
        ("1984-03-04", "1984-03-05", DateMatch.NEAR),
        ("1984-03-04", "1984-02-20", DateMatch.NEAR),
        ("1984", "1985", DateMatch.NEAR),
        ("1984-03", "1984-04", DateMatch.CONFLICT),
        ("1984", "1986", DateMatch.CONFLICT),
        ("1984-03-04", "1984-05-06", DateMatch.CONFLICT),
        ("1984-03-04", "1985-07-04", DateMatch.CONFLICT),
    ],
)
def test_date_agreement(left: str, right: str, how: DateMatch) -> None:
    result = compare_dates(left, right)
    assert result is not None and result.how is how
    reverse = compare_dates(right, left)
    assert reverse is not None and reverse.how is how


def test_not_a_date_is_not_compared() -> None:
    assert compare_dates("unknown", "1984") is None
    assert parse_date("1984-03-04") is not None


def test_the_best_of_several_dates_counts() -> None:
    """Lists give alternatives ("1972 or 1973"): the one that agrees counts."""
    best = best_date_match(["1984-03-04"], ["1972", "1984-03-04"])
    assert best is not None and best.how is DateMatch.EXACT
    assert best_date_match([], ["1984"]) is None


@given(st.dates())
def test_a_date_agrees_with_itself_and_its_year(day: object) -> None:
    text = str(day)
    same = compare_dates(text, text)
    year = compare_dates(text, text[:4])
    assert same is not None and same.how is DateMatch.EXACT
    assert year is not None and year.how is DateMatch.PARTIAL
