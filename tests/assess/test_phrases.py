"""The computed sentences' table: every key in English, Ukrainian and Bulgarian with
the same placeholders, every key the rules use in it (and none unused), and the
worked cases' sentences said in each language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nitka.assess import phrases
from nitka.assess.criteria import Criterion
from nitka.assess.phrases import LANGUAGES, PHRASES, Phrase, placeholders, say
from nitka.assess.protocol import protocol
from nitka.assess.untoc import untoc
from tests.assess.cases import brothers, lantern
from tests.assess.test_criteria import facts_of

SOURCES = Path(phrases.__file__).parent


@pytest.mark.parametrize("key", sorted(PHRASES))
def test_every_key_has_three_languages_with_the_same_placeholders(key: str) -> None:
    templates = PHRASES[key]
    assert len(templates) == len(LANGUAGES) == 3
    english = placeholders(templates[0])
    for lang, template in zip(LANGUAGES, templates, strict=True):
        assert template.strip() and template == template.strip(), (key, lang)
        assert placeholders(template) == english, (key, lang)
    uk, bg = templates[1], templates[2]
    assert re.search("[а-яіїєґ]", uk, re.IGNORECASE), key  # written, not copied
    assert re.search("[а-ъ]", bg, re.IGNORECASE), key


def test_the_rules_keys_are_the_tables_keys() -> None:
    used = {
        key
        for path in SOURCES.glob("*.py")
        for key in re.findall(r'Phrase\.of\(\s*"([\w.]+)"', path.read_text())
    }
    assert used == set(PHRASES)


def _all(criteria: list[Criterion]) -> list[Criterion]:
    return [c for top in criteria for c in (top, *_all(top.parts))]


@pytest.mark.parametrize("case", [lantern, brothers])
def test_the_worked_cases_sentences_in_each_language(case: object) -> None:
    facts = facts_of(case())  # type: ignore[operator]
    found = _all([*untoc(facts), protocol(facts)])
    for criterion in found:
        english = criterion.why
        assert english and criterion.said.text("en") == english
        data = criterion.as_dict()
        assert data["why"] == english and data["why_key"] == criterion.said.key
        for lang in ("uk", "bg"):
            said = criterion.said.text(lang)
            assert said and said != english and "{" not in said, (criterion.code, lang)
            for value in criterion.said.values.values():
                assert value in said  # the case's own values, as they are


def test_a_missing_language_or_key_falls_back() -> None:
    phrase = Phrase.of("persons.few", n=2)
    assert phrase.text("de") == phrase.text() == str(phrase)
    assert "fewer than three" in phrase.text()
    assert "менше трьох" in phrase.text("uk") and "по-малко от трима" in phrase.text("bg")
    assert say(PHRASES, "no.such.key", {}, "uk", fallback="as computed") == "as computed"
    broken = {"k": ("{n} things", "{m} речей", "{n} неща")}
    assert say(broken, "k", {"n": "3"}, "uk") == "3 things"  # English where uk cannot say it
    assert Phrase("").text("bg") == ""
