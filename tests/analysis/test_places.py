"""Placing addresses on the map: only where the place name and the country agree.

Issue 21: the map put every demo address on a Ukrainian hromada (a Moscow
boulevard on Chornomorsk, a London street on Shchyrets). These are the
issue's addresses and the rest of the demo's, read against the world gazetteer.
"""

from __future__ import annotations

import json

import pytest
from followthemoney import model
from hypothesis import given, settings
from hypothesis import strategies as st

from nitka.analysis.addresses import NotPlaced, Placed, Placement, locate
from nitka.analysis.gazetteer import gazetteer
from nitka.demo import DATA


def placed(placement: Placement) -> Placed:
    assert isinstance(placement, Placed), placement
    return placement


def not_placed(placement: Placement) -> NotPlaced:
    assert isinstance(placement, NotPlaced), placement
    return placement


@pytest.mark.parametrize(
    ("text", "country", "city"),
    [
        ("Б-Р ЧЕРНОМОРСКИЙ Д. 17 К. 1, Г.МОСКВА, 117452", "ru", "Moscow"),
        ("ПЕР 1-Й ВРАЖСКИЙ Д. 4, Г.МОСКВА, 119121", "ru", "Moscow"),
        ("Flat 612, Romney House, 47 Marsham Street, London SW1P 3DS", "gb", "London"),
        ("272 Pushkinskaya Street, Apt 41, Izhevsk, 426008", "ru", "Izhevsk"),
        ("3, Derjabin Pr. Izhevsk Udmurt Republic 426006, Russia", "ru", "Izhevsk"),
        ("127055, Moscou, Perunovsky per. 3 building 2, floor 2 room. 11 : RUSSIE", "ru", "Moscow"),
        ("2 Moskovskaya Street, Buzuluk, Orenburgskaya Oblast, 461042, Russia", "ru", "Buzuluk"),
        ("УЛ. ЛЕНИНА Д.40, Г. ЧАЙКОВСКИЙ, ПЕРМСКИЙ КРАЙ, 617764", "ru", "Chaykovskiy"),
        ("Pushkin, Leningrad region, Russian Federation", "ru", "Pushkin"),
    ],
)
def test_the_issues_addresses_are_placed_in_their_country(
    text: str, country: str, city: str
) -> None:
    found = placed(locate(text))
    assert (found.place.country, found.place.name) == (country, city)


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("вул. Хрещатик 1, Київ", "Kyiv"),
        ("Kiev", "Kyiv"),
        ("м. Одеса", "Odesa"),
        ("Odessa", "Odesa"),
        ("Odesa, Ukraine", "Odesa"),
        ("Kharkov, USSR", "Kharkiv"),
        ("Donetsk, USSR (now Ukraine)", "Donetsk"),
        ("Simferopol, Crimea", "Simferopol"),
        ("Lviv", "Lviv"),
        ("Zaporizhzhia", "Zaporizhzhia"),
        ("Artemivsk (2016 renamed back to Bakhmut), Donetsk Oblast, Ukraine", "Bakhmut"),
    ],
)
def test_ukrainian_addresses_are_still_placed(text: str, city: str) -> None:
    found = placed(locate(text))
    assert found.place.country == "ua"
    expected = placed(locate(f"{city}, Ukraine")).place
    assert abs(found.place.lat - expected.lat) < 0.3
    assert abs(found.place.lon - expected.lon) < 0.3


def test_a_hromada_village_is_placed_only_when_ukraine_is_named() -> None:
    assert not_placed(locate("Агрономічне")).reason == "no place name"
    village = placed(locate("с. Агрономічне, Вінницька область, Україна"))
    assert (village.place.name, village.place.country) == ("Агрономічне", "ua")


def test_a_city_in_another_country_than_the_address_says_is_not_placed() -> None:
    left = not_placed(locate("Izhevsk", ["UA"]))
    assert left.reason == "country disagrees"
    assert left.detail == {"name": "Izhevsk", "country": "ru", "expected": "ua"}
    left = not_placed(locate("Izhevsk, Ukraine"))
    assert left.reason == "country disagrees"
    assert placed(locate("Izhevsk", ["ru"])).place.country == "ru"


def test_a_name_several_places_share_is_ambiguous_until_the_country_says() -> None:
    left = not_placed(locate("Calle Mayor 3, Valencia"))
    assert left.reason == "ambiguous"
    assert left.detail["name"] == "Valencia"
    assert int(left.detail["count"]) >= 2
    assert placed(locate("Calle Mayor 3, Valencia, Spain")).place.country == "es"
    assert placed(locate("Valencia", ["VE"])).place.country == "ve"
    # One place far larger than the others of its name is the one meant.
    assert placed(locate("London")).how == "largest"
    assert placed(locate("London, Ontario, Canada")).place.country == "ca"


def test_streets_units_and_regions_are_never_places() -> None:
    assert not_placed(locate("Б-Р ЧЕРНОМОРСКИЙ Д. 17 К. 1")).reason == "no place name"
    assert not_placed(locate("272 Pushkinskaya Street, Apt 41")).reason == "no place name"
    assert not_placed(locate("вул. Київська 5")).reason == "no place name"
    assert not_placed(locate("Leningrad region, Russian Federation")).reason == "no place name"


def test_an_address_naming_several_places_is_not_placed() -> None:
    left = not_placed(locate("Moscow or Ostrov, Pskov region, Russian Federation"))
    assert left.reason == "several places"
    assert left.detail["names"] == "Moscow, Ostrov"
    # Two names of one city are one place.
    assert placed(locate("Sverdlovsk (Ekaterinburg), Russian Federation")).place.name == (
        "Yekaterinburg"
    )


def test_a_village_the_gazetteer_lacks_is_named_in_the_reason() -> None:
    left = not_placed(locate("Skvortsovo village, Simferopol region, Crimea, Ukraine"))
    assert left == NotPlaced("not in gazetteer", {"name": "Skvortsovo"})


def _demo_addresses() -> list[tuple[str, list[str]]]:
    """Every address-typed value of the demo's sanctions cluster (Zala Aero), with the
    country of the Address entity it belongs to."""
    found = []
    with (DATA / "zala_entities.ftm.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            entity = model.get_proxy(json.loads(line))
            countries = entity.get("country") if entity.schema.name == "Address" else []
            for prop, value in entity.itervalues():
                if prop.type.name == "address" or prop.name == "city":
                    found.append((value, countries))
    return found


def test_no_demo_address_is_placed_outside_russia_or_britain() -> None:
    addresses = _demo_addresses()
    assert len(addresses) > 100
    results = [(text, locate(text, countries)) for text, countries in addresses]
    wrong = [
        (text, r.place.name, r.place.country)
        for text, r in results
        if isinstance(r, Placed) and r.place.country not in ("ru", "gb")
    ]
    assert wrong == []
    placed_count = sum(isinstance(r, Placed) for _, r in results)
    assert placed_count >= 0.9 * len(results)


@given(st.text(max_size=80), st.lists(st.sampled_from(["ru", "ua", "gb", "xx", ""]), max_size=2))
@settings(deadline=None)
def test_locating_never_fails_on_any_text(text: str, countries: list[str]) -> None:
    result = locate(text, countries)
    if isinstance(result, Placed):
        assert -90 <= result.place.lat <= 90 and -180 <= result.place.lon <= 180
    else:
        assert result.reason in {
            "no place name",
            "not in gazetteer",
            "country disagrees",
            "ambiguous",
            "several places",
        }


def test_the_gazetteer_covers_the_world_in_latin_and_cyrillic() -> None:
    index = gazetteer()
    assert index.places > 35_000
    for name, country in [
        ("Москва", "ru"),
        ("Ижевск", "ru"),
        ("Лондон", "gb"),
        ("Київ", "ua"),
        ("Киев", "ua"),
        ("София", "bg"),
        ("Sofia", "bg"),
        ("Berlin", "de"),
    ]:
        assert placed(locate(name)).place.country == country
