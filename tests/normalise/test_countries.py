"""Countries in the forms lists write them."""

import pytest

from nitka.normalise.countries import CountryReading, read_countries


@pytest.mark.parametrize(
    ("raw", "codes", "unread"),
    [
        ("Ukrainian, Russian", ["ua", "ru"], []),
        ("UA; RU", ["ua", "ru"], []),
        ("Russian Federation", ["ru"], []),
        ("Bosnia and Herzegovina", ["ba"], []),
        ("Ukrainian, Ukraine", ["ua"], []),
        (
            "Ukrainian, Russian (the Union does not recognise passports issued by the "
            "Russian Federation in Crimea)",
            ["ua", "ru"],
            ["the Union does not recognise passports issued by the Russian Federation in Crimea"],
        ),
        ("Atlantis", [], ["Atlantis"]),
        ("Ukrainian, Atlantis", ["ua"], ["Atlantis"]),
    ],
)
def test_countries_are_read_with_what_they_say_besides(
    raw: str, codes: list[str], unread: list[str]
) -> None:
    assert read_countries(raw) == CountryReading(codes=codes, unread=unread)
