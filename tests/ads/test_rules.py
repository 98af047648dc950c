"""The rules: each indicator in each language, with the words that show it."""

from __future__ import annotations

import pytest

from nitka.ads.corpus import labelled, split
from nitka.ads.findings import findings
from nitka.ads.indicators import CODES, LANGUAGES, describe, descriptions
from nitka.ads.rules import risk

ISSUE_CODES = [
    "deception_pay", "upfront_fee", "debt_bondage", "documents_retained",
    "movement_restriction", "employer_hidden", "messenger_only", "no_requirements",
    "vague_job", "urgency", "targeted_young_women", "photo_required", "adult_services_hint",
    "cash_only", "irregular_visa", "smuggling_driver", "refugee_benefit_scheme",
]  # fmt: skip


def test_the_codes_are_the_issues_and_each_is_described_in_four_languages() -> None:
    assert list(CODES) == ISSUE_CODES
    table = descriptions()
    assert set(table) == set(CODES)
    for code in CODES:
        assert set(table[code]) == set(LANGUAGES), code
        assert all(text.strip() for text in table[code].values()), code
    assert describe("upfront_fee", "xx") == table["upfront_fee"]["en"]


EXAMPLES = [
    ("uk", "Паспорт здаєте бригадиру на зберігання.", "documents_retained", "Паспорт здаєте"),
    (
        "ru",
        "Дорогу оплачиваем, потом вычитаем из зарплаты.",
        "debt_bondage",
        "вычитаем из зарплаты",
    ),
    (
        "bg",
        "Търсим момичета от 18 до 25 години за работа като хостеса.",
        "adult_services_hint",
        "хостеса",
    ),
    ("en", "Boat driver needed, night runs across the sea.", "smuggling_driver", "Boat driver"),
    (
        "uk",
        "Безкоштовна поїздка в Європу, оформимо статус біженця.",
        "refugee_benefit_scheme",
        "статус біженця",
    ),
    (
        "ru",
        "Едем по туристической визе, на месте всё оформим.",
        "irregular_visa",
        "туристической визе",
    ),
    ("bg", "Плащане само в брой, всяка седмица.", "cash_only", "само в брой"),
    ("en", "Message only on Telegram @eu_jobs_fast.", "messenger_only", "@eu_jobs_fast"),
]


@pytest.mark.parametrize(("lang", "text", "code", "words"), EXAMPLES)
def test_an_indicator_names_its_words_and_their_place(
    lang: str, text: str, code: str, words: str
) -> None:
    found = {h.code: h for h in findings(text, lang).hits}
    assert code in found
    hit = found[code]
    assert any(words in w for w in hit.words), hit.words
    assert [text[a:b] for a, b in hit.spans] == hit.words


def test_missing_employer_is_evidence_but_a_named_one_is_not() -> None:
    hidden = "Робота в Польщі на складі. Зарплата висока, житло є. Пишіть, все розкажемо."
    named = hidden + " ТОВ «Захід-Кадри», ліцензія № 1457, вул. Городоцька 45."
    hit = {h.code: h for h in findings(hidden, "uk").hits}["employer_hidden"]
    assert hit.words == [] and hit.spans == []
    assert "employer_hidden" not in {h.code for h in findings(named, "uk").hits}


def test_risk_comes_from_combinations_not_one_indicator() -> None:
    one = findings("Urgent! Departure tomorrow for warehouse work in Poland, apply today.", "en")
    many = findings(
        "Work in Poland. Girls aged 18 to 25 wanted. Hostess work in a night club. "
        "We keep your passport. Message only on Telegram @eu_jobs_fast.",
        "en",
    )
    assert risk(one.hits) < 0.3 < 0.9 < risk(many.hits)


def test_the_rules_find_the_labelled_indicators_of_the_test_split() -> None:
    missed = [
        (ad.id, code)
        for ad in split("test")
        for code in set(ad.indicators) - {h.code for h in findings(ad.text, ad.lang).hits}
    ]
    assert len(missed) <= 3, missed


def test_the_labelled_set_is_400_ads_in_four_languages_with_a_fixed_split() -> None:
    ads = labelled()
    assert len(ads) >= 400
    assert {ad.lang for ad in ads} == set(LANGUAGES)
    train, test = split("train"), split("test")
    assert len(train) + len(test) == len(ads) and len(test) >= 100
    assert not {ad.id for ad in train} & {ad.id for ad in test}
    assert not {ad.text for ad in train} & {ad.text for ad in test}
