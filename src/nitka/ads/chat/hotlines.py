"""The hotlines the chatbot gives, kept as data (``data/hotlines.json``) with the
source each is published at and the date it was last checked there.

A line whose ``checked`` is null has not been checked against public pages: every
line must be, before the bot is shipped (docs/ads.md, Public chatbot); the pages
that named it are kept in ``confirmed_by``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Final

import orjson

HOME: Final = {"uk": "UA", "ru": "UA", "bg": "BG"}
"""The country whose lines come with a language when the person names none we have
(Russian is spoken by many who ask from Ukraine)."""

EMERGENCY: Final = "112"
"""The emergency number across the EU and in Ukraine: for danger now."""


@dataclass(frozen=True, slots=True)
class Hotline:
    country: str
    """ISO 3166 alpha-2."""
    number: str
    also: str | None
    """Another number of the same line (a short number's long form, a mobile number)."""
    name: dict[str, str]
    source: str
    source_url: str
    checked: str | None
    """The date (ISO 8601) the number was last checked against public pages; None: not yet."""
    confirmed_by: tuple[str, ...] = ()
    """The public pages that name this number with its line, as read on ``checked``."""

    def named(self, lang: str) -> str:
        return self.name.get(lang) or self.name["en"]


@cache
def hotlines() -> dict[str, tuple[Hotline, ...]]:
    """Country -> its lines, read once from the package's data."""
    raw = orjson.loads(files("nitka.ads.chat").joinpath("data", "hotlines.json").read_bytes())
    return {
        country: tuple(_line(country, line) for line in lines)
        for country, lines in raw["countries"].items()
    }


def _line(country: str, raw: dict[str, object]) -> Hotline:
    pages = raw.get("confirmed_by") or ()
    assert isinstance(pages, list | tuple)
    return Hotline(country=country, **{**raw, "confirmed_by": tuple(str(p) for p in pages)})  # type: ignore[arg-type]


def lines_for(country: str | None, lang: str) -> list[Hotline]:
    """The lines of the country concerned: the one the person named if we have its
    lines, and the lines of their language's home country; all we have when
    neither says."""
    table = hotlines()
    wanted = [c for c in (country, HOME.get(lang)) if c in table]
    if not wanted:
        wanted = list(table)
    chosen: list[Hotline] = []
    for code in dict.fromkeys(wanted):
        chosen.extend(table[code])
    return chosen


def unchecked() -> list[Hotline]:
    """The lines not yet checked against their source."""
    return [line for lines in hotlines().values() for line in lines if line.checked is None]
