"""The FollowTheMoney model's labels in Ukrainian and Bulgarian: every schema and
property label has a translation, the catalogue holds what the installed model
has, and the chart's and timeline's JSON name kinds in the user's language."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from babel.messages.pofile import read_po
from followthemoney import model

from nitka.analysis.timeline import Item, Parts
from nitka.web.ui import i18n
from nitka.web.ui.model_labels import (
    DOMAIN,
    label_graph,
    model_messages,
    property_label,
    schema_label,
)
from nitka.web.ui.timeline_words import timeline_item

LANGUAGES = ("uk", "bg")
USED = [
    "Person",
    "Organization",
    "Company",
    "LegalEntity",
    "Passport",
    "Identification",
    "Vehicle",
    "Vessel",
    "Address",
    "BankAccount",
    "Payment",
    "Call",
    "Trip",
    "Family",
    "Associate",
    "Ownership",
    "Directorship",
    "Membership",
    "Employment",
    "Note",
    "Sanction",
    "Document",
    "Thing",
    "Interval",
    "Event",
    "Asset",
    "UnknownLink",
    "CryptoWallet",
]
"""The schemata Nitka's data and pages use."""


@pytest.fixture
def speaking() -> Iterator[None]:
    yield
    i18n.use("en")


def _translated(language: str) -> dict[tuple[str | None, str], str]:
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    return {(m.context, str(m.id)): str(m.string) for m in catalog if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_of_the_schemata_nitka_uses_is_translated(language: str) -> None:
    translated = _translated(language)
    for name in USED:
        schema = model.schemata[name]
        for label in (schema.label, schema.plural, *(p.label for p in schema.properties.values())):
            assert translated.get((None, label)), f"{language}: {name} lacks “{label}”"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_every_label_of_the_model_translated(language: str) -> None:
    translated = _translated(language)
    labels = set(model_messages())
    assert len(labels) > 500
    assert sorted(label for label in labels if not translated.get((None, label))) == []
    assert all(translated.values()), "an entry of the catalogue is empty"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("Person", "People", "Birth date", "Identification holder", "Name", "Name")),
        ("uk", ("Особа", "Особи", "Дата народження", "Власник документа", "Ім'я", "Назва")),
        (
            "bg",
            ("Лице", "Лица", "Дата на раждане", "Притежател на документа", "Име", "Наименование"),
        ),
    ],
)
def test_schema_and_property_labels_speak_the_request_language(
    speaking: None, language: str, expected: tuple[str, ...]
) -> None:
    i18n.use(language)
    assert (
        schema_label("Person"),
        schema_label("Person", plural=True),
        property_label("Person", "birthDate"),
        property_label("Passport", "holder"),
        property_label("Person", "name"),
        property_label("Company", "name"),
    ) == expected


def test_an_unknown_schema_or_property_is_shown_as_it_is(speaking: None) -> None:
    i18n.use("bg")
    assert schema_label("NoSuchSchema") == "NoSuchSchema"
    assert property_label("Person", "noSuchProperty") == "noSuchProperty"
    assert property_label("NoSuchSchema", "name") == "name"
    assert schema_label("Phone") == "Телефон"  # the chart's phone numbers


def test_chart_and_timeline_json_name_kinds_in_the_language(speaking: None) -> None:
    i18n.use("uk")
    graph = label_graph(
        {
            "nodes": [
                {"id": "p1", "schema": "Person", "label": "Петренко"},
                {"id": "pp1", "schema": "Passport", "label": "FE123456"},
                {"id": "phone:+380501112233", "schema": "Phone", "label": "+380501112233"},
            ],
            "edges": [
                {
                    "id": "e1",
                    "source": "pp1",
                    "target": "p1",
                    "label": "holder",
                    "schema": "reference",
                },
                {
                    "id": "e2",
                    "source": "p1",
                    "target": "p2",
                    "label": "Payment",
                    "schema": "Payment",
                },
            ],
        }
    )
    assert [n["kind"] for n in graph["nodes"]] == ["Особа", "Паспорт", "Телефон"]
    assert [e["kind"] for e in graph["edges"]] == ["Власник документа", "Платіж"]
    assert graph["edges"][0]["label"] == "holder", "the property's name is kept"
    trip = Item("t1", "Trip", "2024-06-01", "", Parts("Trip", places=("Odesa", "Lviv")), set())
    item = timeline_item(trip)
    assert (item["kind"], item["label"]) == ("Поїздка", "Поїздка: Odesa → Lviv")
    parts = Parts("Message", reference="UA-1", message_kind="request-information",
                  sender="npu", receiver="mvr")  # fmt: skip
    message = timeline_item(Item("message:1", "Message", "2024-06-02", "", parts, set()))
    assert message["title"] == "request-information npu → mvr"


CALL = Parts("Call", link=True, sources=("Олександр Петренко",), targets=("Ihor Melnyk",),
             sources_detail=("Олександр Петренко (+380501112233)",),
             targets_detail=("Ihor Melnyk (+380671234567)",), when="2024-03-01 10:00:")  # fmt: skip


@pytest.mark.parametrize(
    ("language", "seconds", "label"),
    [
        ("en", "45", "Олександр Петренко → Ihor Melnyk: call 45 s"),
        ("en", "3900", "Олександр Петренко → Ihor Melnyk: call 1 h 5 min"),
        ("uk", "45", "Олександр Петренко → Ihor Melnyk: дзвінок 45 с"),
        ("uk", "185", "Олександр Петренко → Ihor Melnyk: дзвінок 3 хв"),
        ("uk", "3900", "Олександр Петренко → Ihor Melnyk: дзвінок 1 год 5 хв"),
        ("bg", "185", "Олександр Петренко → Ihor Melnyk: обаждане 3 мин"),
        ("bg", "3900", "Олександр Петренко → Ihor Melnyk: обаждане 1 ч 5 мин"),
    ],
)
def test_timeline_words_speak_the_request_language(
    speaking: None, language: str, seconds: str, label: str
) -> None:
    i18n.use(language)
    call = Item("call-1", "Call", "2024-03-01T10:00", "", replace(CALL, duration=seconds), set())
    shown = timeline_item(call)
    assert shown["label"] == label
    assert shown["title"].startswith("2024-03-01 10:00: Олександр Петренко (+380501112233) → ")
    assert shown["title"].endswith(label.split(": ", 1)[1])
    payment = Parts("Payment", link=True, sources=("Maria Koval",), targets=("Ihor Melnyk",),
                    amount="500", currency="EUR")  # fmt: skip
    paid = timeline_item(Item("pay-1", "Payment", "2024-04-01", "", payment, set()))
    word = {"en": "payment", "uk": "платіж", "bg": "плащане"}[language]
    assert paid["label"] == f"Maria Koval → Ihor Melnyk: {word} 500 EUR"


def test_every_model_schema_has_a_distinct_translation_in_each_language(
    speaking: None,
) -> None:
    """Two schemata called alike in a language could not be told apart in the facets."""
    for language in LANGUAGES:
        i18n.use(language)
        names = {schema_label(name) for name in USED}
        assert len(names) == len({model.schemata[name].label for name in USED}), language
