"""The UI's gettext catalogues: every string the pages and code show has a
Ukrainian and a Bulgarian translation with the same placeholders, and a page
is served in the language asked for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from nitka.web.ui import i18n

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("uk", "bg")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _extracted() -> set[str]:
    method_map = [
        ("src/nitka/web/**.py", "python"),
        ("src/nitka/web/templates/**.html", "jinja2"),
    ]
    options = {"src/nitka/web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found: set[str] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT),
        method_map,
        options,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue(language: str) -> dict[str, list[str]]:
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    translated: dict[str, list[str]] = {}
    for message in catalog:
        if not message.id:
            continue
        key = str(message.id[0]) if isinstance(message.id, tuple) else str(message.id)
        given = message.string if isinstance(message.string, tuple) else (message.string,)
        translated[key] = [str(s or "") for s in given]
    return translated


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_ui_string_has_a_translation(language: str) -> None:
    extracted = _extracted()
    assert len(extracted) > 200
    translated = _catalogue(language)
    missing = sorted(m for m in extracted if not all(translated.get(m, [""])))
    assert missing == []


@pytest.mark.parametrize(
    ("language", "message"),
    [(language, message) for language in TRANSLATED for message in sorted(_catalogue(language))],
)
def test_translations_keep_the_placeholders(language: str, message: str) -> None:
    for translation in _catalogue(language)[message]:
        assert sorted(PLACEHOLDER.findall(translation)) == sorted(PLACEHOLDER.findall(message))


def test_every_offered_language_has_a_catalogue_that_loads() -> None:
    assert set(i18n.LANGUAGES) == {i18n.DEFAULT, *TRANSLATED}
    for language in TRANSLATED:
        assert i18n.translations(language).ugettext("Search") != "Search"


def test_the_language_is_chosen_then_negotiated() -> None:
    assert i18n.negotiate("uk", "en-GB,en;q=0.9") == "uk"
    assert i18n.negotiate(None, "uk-UA,uk;q=0.9,en;q=0.8") == "uk"
    assert i18n.negotiate(None, "bg-BG,bg;q=0.9") == "bg"
    assert i18n.negotiate(None, "de-DE,de;q=0.9") == "en"
    assert i18n.negotiate("xx", "") == "en"
    assert i18n.negotiate(None, ";;,,*") == "en"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("uk", ["1 збіг", "3 збіги", "5 збігів", "21 збіг"]),
        ("bg", ["1 съвпадение", "3 съвпадения", "5 съвпадения", "21 съвпадения"]),
    ],
)
def test_plurals_follow_each_languages_grammar(language: str, expected: list[str]) -> None:
    i18n.use(language)
    try:
        forms = [
            i18n.ngettext("%(num)d hit", "%(num)d hits", n) % {"num": n} for n in (1, 3, 5, 21)
        ]
    finally:
        i18n.use("en")
    assert forms == expected
