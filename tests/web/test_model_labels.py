"""The FollowTheMoney model's labels in Ukrainian and Bulgarian: every schema and
property label has a translation, the catalogue holds what the installed model
has, and the chart's and timeline's JSON name kinds in the user's language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from babel.messages.pofile import read_po
from followthemoney import model

from nitka.web.ui import i18n
from nitka.web.ui.model_labels import (
    DOMAIN,
    label_graph,
    label_timeline_item,
    model_messages,
    property_label,
    schema_label,
)

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
    item = label_timeline_item(
        {"schema": "Trip", "label": "Odesa to Lviv", "title": "Trip: Odesa to Lviv"}
    )
    assert (item["kind"], item["title"]) == ("Поїздка", "Поїздка: Odesa to Lviv")
    message = label_timeline_item(
        {"schema": "Message", "label": "UA-1", "title": "request npu → mvr"}
    )
    assert message["title"] == "request npu → mvr"


def test_every_model_schema_has_a_distinct_translation_in_each_language(
    speaking: None,
) -> None:
    """Two schemata called alike in a language could not be told apart in the facets."""
    for language in LANGUAGES:
        i18n.use(language)
        names = {schema_label(name) for name in USED}
        assert len(names) == len({model.schemata[name].label for name in USED}), language
