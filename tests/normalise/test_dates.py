"""Dates in the forms police data and officers give them."""

import pytest

from nitka.normalise.dates import DateReading, normalise_date, read_dates


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("1999/01/23", "1999-01-23"),
        ("23.01.1999", "1999-01-23"),
        ("19990123", "1999-01-23"),
        ("23/01/1999", "1999-01-23"),
        ("1969-7-16", "1969-07-16"),
        ("1984", "1984"),
        ("1984-03", "1984-03"),
        ("2024-05-06 10:11", "2024-05-06T10:11"),
    ],
)
def test_common_date_forms_become_iso(raw: str, iso: str) -> None:
    assert normalise_date(raw) == iso


@pytest.mark.parametrize("raw", ["possibly 1981", "23.13.1999", "1999/02/30", ""])
def test_what_is_not_a_date_is_none(raw: str) -> None:
    assert normalise_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "dates"),
    [
        # The forms of the EU's Official Journal (Regulation 269/2014's annex).
        ("10.2.1983 (or 10.3.1983)", ["1983-02-10", "1983-03-10"]),
        ("possibly 23.7.1981", ["1981-07-23"]),
        ("1964 (possibly: 21 April)", ["1964", "1964-04-21"]),
        ("circa 1960", ["1960"]),
        ("approx. 1975", ["1975"]),
        ("1970 or 1971", ["1970", "1971"]),
        ("1.2.1970; 3.4.1971", ["1970-02-01", "1971-04-03"]),
        ("2.11.1959 або 3.11.1959", ["1959-11-02", "1959-11-03"]),
        ("02.1983", ["1983-02"]),
        ("21 April 1964", ["1964-04-21"]),
        ("April 21, 1964", ["1964-04-21"]),
        ("21 квітня 1964", ["1964-04-21"]),
        ("1970-1973", ["1970", "1971", "1972", "1973"]),
        ("between 1970 and 1972", ["1970", "1971", "1972"]),
        ("26.11.1972", ["1972-11-26"]),
        ("1983-02-10", ["1983-02-10"]),
    ],
)
def test_the_forms_lists_write_dates_in_are_read(raw: str, dates: list[str]) -> None:
    assert read_dates(raw) == DateReading(dates=dates)


@pytest.mark.parametrize(
    ("raw", "dates", "unread"),
    [
        ("yesterday", [], ["yesterday"]),
        ("32.13.1999", [], ["32.13.1999"]),
        ("1900-1950", [], ["1900-1950"]),  # a range that says too little
        ("1970 (in Kyiv)", ["1970"], ["in Kyiv"]),
        ("1.2.1970; soon", ["1970-02-01"], ["soon"]),
    ],
)
def test_what_cannot_be_read_is_returned_as_written(
    raw: str, dates: list[str], unread: list[str]
) -> None:
    assert read_dates(raw) == DateReading(dates=dates, unread=unread)
