"""What the chatbot says, in Ukrainian, Russian, Bulgarian and English, kept as
data (``data/messages.json``, ``data/countries.json``)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Final

import orjson

LANGUAGES: Final = ("uk", "ru", "bg", "en")
"""The languages the chatbot speaks, as it offers them."""
DEFAULT: Final = "en"
NAMES: Final = {"uk": "Українська", "ru": "Русский", "bg": "Български", "en": "English"}
"""Each language named in itself (the buttons that choose one)."""


def _load(name: str) -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = orjson.loads(
        files("nitka.ads.chat").joinpath("data", name).read_bytes()
    )
    return table


@cache
def messages() -> dict[str, dict[str, str]]:
    return _load("messages.json")


@cache
def countries() -> dict[str, dict[str, str]]:
    """ISO 3166 alpha-2 -> language -> the country's name (the countries offered as
    buttons; any other is "another country")."""
    return _load("countries.json")


def language(code: str | None) -> str | None:
    """One of ``LANGUAGES`` from a language tag (``uk``, ``ru-RU``, ``bg_BG``), else None."""
    if not code or not isinstance(code, str):
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else None


def say(key: str, lang: str, **values: object) -> str:
    """A message in a language (English where it has none)."""
    texts = messages()[key]
    text = texts.get(lang) or texts[DEFAULT]
    return text.format(**values) if values else text


def country_name(code: str, lang: str) -> str:
    names = countries().get(code)
    return (names.get(lang) or names[DEFAULT]) if names else code
