"""Article 3 and red-notice checks on real charge texts from INTERPOL red notices
(``../shared/data/interpol_notice_reference/offense_strings.json``) and on messages."""

import json
from pathlib import Path

import pytest

from nitka.exchange.article3 import check_charges, check_message, normalise
from nitka.exchange.kinds import Kind

FLAGGED = {
    # the start of a real charge text: the rules it must raise
    "1) participation in extremist society;": {"political"},
    "participation in the activity of an illegal armed formation; public appeals for extremist": {
        "political",
        "military",
    },
    "participation in  the activity of an extremist organization": {"political"},
    "participation in the activity of a terrorist organization; public appeals for extremist": {
        "political",
        "terrorism",
    },
    "criminal conspiracy, waging war against country": {"political", "terrorism"},
    "1.punishment for murder, 2. attempt to murder, 3. waging, or attempting to wage war": {
        "political",
        "terrorism",
    },
    "participation in illegal armed formation; illegal acquisition and storage of ammunition": {
        "military"
    },
    "1) organization of illegal armed formation; 2) participation in illegal armed formation": {
        "military"
    },
    "mercenary, terrorist group member": {"military", "terrorism"},
    "the participation of the citizen of the kyrgyz republic in armed conflicts": {
        "political",
        "terrorism",
    },
    "criminal offence organising group and joining foreign paramilitary": {"military"},
    "homicidio calificado, doblemente agravado (por haber sido cometido por odio racial o": {
        "racial",
        "religious",
    },
    "incitement of national, racial, or religious enmity; organization of an extremist": {
        "political",
        "racial",
    },
    "a)robo agravado": {"religious"},  # ... de los hechos sacrílegos
    "illegal trafficking in narcotic drugs, non-paying alimony": {"not-ordinary-law"},
}
ORDINARY = [
    "1. qualified trafficking in person;",
    "intentional infliction of grave injuries, human trafficking",
    "trafficking in persons;  trafficking in juveniles;",
    "1. trafficking in persons contrary to section 3(1)(d)",
    "1. aggravated trafficking in human beings, 10 years of imprisonment",
    "fraud committed in criminal association  to the detriment of old persons",
    "fraud, attempt of bribe-giving",
    "crime of illegal fundraising by fraudulent means",
    "fraud, illegal business activity",
    "embezzlement, fraud, misappropriation of pkr",
    "drug smuggling",
    "illegal distribution of drugs, money-laundring.",
    "international drug trafficking",
    "international narcotics trafficking.",
    "drugs traffic",
    "murder committed out of mercenary motives by hire",
    "1) murder of two or more persons committed by the group of persons under mercenary ends",
    "1) illegal possession of firearm and ammunition",
    "theft, document forgery",
    "1) rape in the first degree",
]


@pytest.fixture(scope="module")
def charges(shared_data: Path) -> list[str]:
    path = shared_data / "interpol_notice_reference" / "offense_strings.json"
    return list(json.loads(path.read_text(encoding="utf-8")))


def _real(charges: list[str], start: str) -> str:
    found = [text for text in charges if text.startswith(start)]
    assert found, f"no real charge text starts with {start!r}"
    return found[0]


def test_political_military_religious_and_racial_charges_are_flagged(charges: list[str]) -> None:
    for start, rules in FLAGGED.items():
        flags = check_charges([_real(charges, start)])
        assert {flag.rule for flag in flags} == rules, start
        assert all(flag.reason for flag in flags)


def test_ordinary_crimes_are_not_flagged(charges: list[str]) -> None:
    assert len(FLAGGED) + len(ORDINARY) >= 30
    for start in ORDINARY:
        assert check_charges([_real(charges, start)]) == [], start


@pytest.mark.parametrize(
    ("charge", "rule"),
    [
        ("Insulting a representative of the authorities", "political"),
        ("Organisation of an unauthorised public rally", "political"),
        ("Оскорбление представителя власти", "political"),
        ("Дискредитация Вооруженных Сил Российской Федерации", "political"),
        ("Публичные призывы к осуществлению экстремистской деятельности", "political"),
        ("Державна зрада", "political"),
        ("Дезертирство", "military"),
        ("Уклонение от прохождения военной службы", "military"),
        ("Evasion of military service", "military"),
        ("Apostasy", "religious"),
        ("Blasphemy against the Prophet", "religious"),
        ("Оскорбление религиозных чувств верующих", "religious"),
        ("Adultery", "not-ordinary-law"),
        ("Issuing a cheque without sufficient funds", "not-ordinary-law"),
    ],
)
def test_charges_in_several_languages(charge: str, rule: str) -> None:
    assert rule in {flag.rule for flag in check_charges([charge])}


def test_normalising_keeps_cyrillic_letters_and_strips_latin_accents() -> None:
    assert normalise("SEDICIÓN  y  Rebelión") == "sedicion y rebelion"
    assert normalise("Йосип Її") == "йосип її"


def _person(**props: str) -> list[dict[str, str]]:
    return [
        {"entity_id": "p-1", "schema": "Person", "prop": prop, "value": value}
        for prop, value in props.items()
    ]


def test_a_red_notice_needs_penalty_facts_and_charges() -> None:
    body = {"statements": _person(name="Ivan Sirko"), "charges": []}
    rules = {f.rule for f in check_message(Kind.RED_NOTICE, body, requesting_country="ua")}
    assert rules == {"penalty", "facts", "missing"}
    complete = {
        "statements": _person(name="Ivan Sirko"),
        "charges": ["Trafficking in human beings"],
        "penalty_years": 12,
        "facts": {"summary": "Recruited 14 women", "time": "2025-03", "place": "Odesa"},
    }
    assert check_message(Kind.RED_NOTICE, complete, requesting_country="ua") == []
    serving = {**complete, "penalty_years": None, "sentence_left_months": 4}
    rules = {f.rule for f in check_message(Kind.RED_NOTICE, serving, requesting_country="ua")}
    assert rules == {"penalty"}


def test_subjects_countries_and_inconsistencies_are_flagged() -> None:
    body = {
        "text": "Locate",
        "statements": [
            *_person(name="Anna Politkovska", birthDate="1958-08-30", topics="role.journo"),
            {"entity_id": "p-1", "schema": "Person", "prop": "birthDate", "value": "1960-01-01"},
            {"entity_id": "p-2", "schema": "Person", "prop": "name", "value": "Oleh Sentsov"},
            {"entity_id": "p-2", "schema": "Person", "prop": "notes", "value": "Refugee, UNHCR"},
            {"entity_id": "p-3", "schema": "Person", "prop": "name", "value": "Ilia Yashin"},
        ],
    }
    flags = check_message(
        Kind.REQUEST_LOCATE,
        body,
        requesting_country="XX",
        review_countries=["xx"],
        review_names=["Ilia  YASHIN"],
        known_topics={"p-2": ["role.act"]},
    )
    reasons = {(f.rule, f.reason.split(":")[0].split(" is ")[0]) for f in flags}
    assert ("protected-person", "Anna Politkovska") in reasons
    assert ("protected-person", "Oleh Sentsov") in reasons  # an activist in our store
    assert ("protected-person", "Ilia Yashin") in reasons  # on the review list
    assert ("refugee", "Oleh Sentsov") in reasons
    assert "inconsistent" in {f.rule for f in flags} and "review-country" in {f.rule for f in flags}
