"""Dates in the forms police data and officers give them."""

import pytest

from nitka.ingest.values import normalise_date


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
