"""Comparing checked persons, documents and vehicles with list entries, explained."""

import pytest

from nitka.match.entities import Party, compare_entities, compare_parties, party_score
from tests.helpers import make_entity

LISTED = make_entity(
    "Person",
    "listed",
    name="Сергей Валерьевич Аксёнов",
    alias="Sergey Aksyonov",
    birthDate="1972-11-26",
    gender="male",
    nationality="ua",
    passportNumber="FA 123456",
)


@pytest.mark.parametrize(
    ("properties", "at_least", "below"),
    [
        ({"name": "Serhiy Aksyonov", "birthDate": "1972-11-26"}, 0.9, 1.01),
        ({"name": "Serhiy Aksyonov", "birthDate": "1972"}, 0.8, 1.01),
        ({"name": "Serhiy Aksyonov", "birthDate": "1972-11-27"}, 0.85, 0.95),
        ({"name": "Serhiy Aksyonov", "birthDate": "1975-11-26"}, 0.0, 0.7),
        ({"name": "Serhiy Aksyonov", "birthDate": "1972-11-26", "gender": "female"}, 0.0, 0.8),
        ({"name": "Serhiy Aksyonov", "birthDate": "1980-01-01"}, 0.0, 0.7),
        ({"name": "Ivan Bondar", "passportNumber": "fa-123456"}, 0.92, 1.01),
    ],
)
def test_person_evidence_moves_the_score(
    properties: dict[str, str], at_least: float, below: float
) -> None:
    query = make_entity("Person", "query", **properties)
    result = compare_entities(query, LISTED)
    assert at_least <= result.score < below, result.explain()
    # The score a check rules candidates out by, without the explanation.
    assert party_score(Party.of(query), Party.of(LISTED)) == result.score


def test_a_swapped_day_and_month_is_recognised_and_said() -> None:
    listed = make_entity("Person", "l", name="Olena Koval", birthDate="1984-03-04")
    query = make_entity("Person", "q", name="Олена Коваль", birthDate="1984-04-03")
    result = compare_entities(query, listed)
    assert result.score >= 0.7
    assert "birthDate: 1984-04-03 / 1984-03-04: swapped (+0.05)" in result.explain()


def test_an_agreeing_identifier_hits_whatever_the_name() -> None:
    result = compare_entities(
        make_entity("Person", "q", name="Ivan Bondar", passportNumber="FA123456"), LISTED
    )
    assert result.score >= 0.92
    assert any(line.startswith("passport: FA123456 agrees") for line in result.explain())


def test_documents_match_by_number_and_country() -> None:
    listed = make_entity("Passport", "doc", number="FA 123456", country="ua")
    same = make_entity("Passport", "q1", number="fa123456", country="ua")
    other_country = make_entity("Passport", "q2", number="FA123456", country="pl")
    other_number = make_entity("Passport", "q3", number="FA123457", country="ua")
    assert compare_entities(same, listed).score == 1.0
    assert compare_entities(other_country, listed).score < 0.7
    assert compare_entities(other_number, listed).score == 0.0


def test_vehicles_match_by_vin_or_by_plate_in_either_script() -> None:
    listed = make_entity(
        "Vehicle", "car", registrationNumber=["АА 1234 ВХ", "1M8GDM9AXKP042788"], country="ua"
    )
    by_plate = make_entity("Vehicle", "q1", registrationNumber="AA1234BX", country="ua")
    by_vin = make_entity("Vehicle", "q2", registrationNumber="1M8GDM9AXKP042788", country="pl")
    plate_abroad = make_entity("Vehicle", "q3", registrationNumber="AA1234BX", country="pl")
    assert compare_entities(by_plate, listed).score == 1.0
    assert compare_entities(by_vin, listed).score == 1.0
    assert compare_entities(plate_abroad, listed).score < 0.7


def test_a_score_alone_equals_the_explained_score_for_real_persons() -> None:
    """Every pair among real listed persons in both scripts, with dates, genders
    and nationalities that agree and conflict."""
    people = [
        make_entity("Person", "a", name="Сергей Аксёнов", birthDate="1972-11-26", gender="male"),
        make_entity(
            "Person", "b", name="Serhiy Aksyonov", birthDate="1972-11-27", nationality="ua"
        ),
        make_entity("Person", "c", name="Olena Koval", birthDate="1984-03-04", gender="female"),
        make_entity("Person", "d", name="Олена Коваль", birthDate="1984-04-03", nationality="ru"),
        make_entity("Person", "e", name="Ivan Bondar", passportNumber="FA123456"),
        make_entity("Person", "f", name="Aksyonov", birthDate="1972", gender="female"),
        LISTED,
    ]
    for left in people:
        for right in people:
            explained = compare_parties(Party.of(left), Party.of(right))
            assert party_score(Party.of(left), Party.of(right)) == explained.score
