"""Birth dates as lists and officers give them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nitka.match.dates import (
    DateMatch,
    DatePart,
    agreeable_dates,
    best_date_match,
    compare_dates,
    compare_parsed,
    pack_date,
    parse_date,
    unpack_date,
)


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


_YEAR_OFFSETS = st.integers(min_value=-2, max_value=2)
_MONTHS = st.one_of(st.none(), st.integers(min_value=1, max_value=12))
_DAYS = st.one_of(st.none(), st.integers(min_value=1, max_value=31))


@given(
    st.integers(min_value=1901, max_value=2029),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=31),
    _YEAR_OFFSETS,
    _MONTHS,
    _DAYS,
)
def test_agreeable_dates_are_exactly_those_that_do_not_conflict(
    year: int, month: int, day: int, offset: int, other_month: int | None, other_day: int | None
) -> None:
    query = DatePart(year, month, day)
    # Entries within two years of the query: further off, every date conflicts.
    entry = DatePart(year + offset, other_month, other_day if other_month else None)
    agreeable = agreeable_dates(query)
    assert agreeable is not None
    conflict = compare_parsed(query, entry) is DateMatch.CONFLICT
    assert (pack_date(entry) not in agreeable) == conflict
    assert unpack_date(pack_date(entry)) == entry


@pytest.mark.parametrize(
    ("query", "entry"),
    [
        ("1984-12-20", "1985-01-10"),  # across the new year, 21 days apart
        ("1984-03-04", "1984-04-03"),  # day and month swapped
        ("1984-03-04", "1983-03-04"),  # a year apart, same day
        ("1984-03-04", "1985-07"),  # a year apart, no day
        ("1984-03-04", "1984"),
        ("1984-02-30", "1984-02-01"),  # not a real date, same month
    ],
)
def test_near_dates_are_agreeable(query: str, entry: str) -> None:
    agreeable = agreeable_dates(_parsed(query))
    assert agreeable is not None and pack_date(_parsed(entry)) in agreeable


def test_only_a_full_date_has_an_agreeable_set() -> None:
    assert agreeable_dates(_parsed("1984-03")) is None
    assert agreeable_dates(_parsed("1984")) is None
    agreeable = agreeable_dates(_parsed("1984-03-04"))
    assert agreeable is not None
    assert pack_date(_parsed("1984-05-04")) not in agreeable
    assert pack_date(_parsed("1986-03-04")) not in agreeable


def _parsed(value: str) -> DatePart:
    part = parse_date(value)
    assert part is not None
    return part
