"""UI text in the user's language, from gettext catalogues (Babel).

The English text is in the templates and the code; each other language has
a catalogue, ``nitka/web/locale/<lang>/LC_MESSAGES/messages.po``, read when
first used (no compile step: the .po is turned into a .mo in memory). The
labels of the FollowTheMoney model (schemata, properties) have their own
catalogue in each language, ``model.po`` (see ``model_labels``). The
language of a request is the one the user chose (``?lang=`` sets a cookie),
or else the best of the browser's ``Accept-Language``.

``make messages`` extracts the strings and updates the catalogues.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT = "en"
LANGUAGES = {"en": "English", "uk": "Українська", "bg": "Български"}
"""The languages offered, each named in itself."""
LANGUAGE_COOKIE = "nitka_lang"

_current: ContextVar[str] = ContextVar("nitka_language", default=DEFAULT)


@cache
def translations(language: str, domain: str = "messages") -> NullTranslations:
    """The catalogue of a language; English (the source text) has none."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    if language == DEFAULT or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def use(language: str) -> None:
    """Set the language of the current request (a context variable: per task)."""
    _current.set(language if language in LANGUAGES else DEFAULT)


def current() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(_current.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ungettext(singular, plural, n)


def negotiate(chosen: str | None, accept_language: str) -> str:
    """The language of a request: the user's choice, else the browser's best offer."""
    if chosen in LANGUAGES:
        return chosen
    wanted: list[str] = []
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().replace("-", "_")
        if tag and tag != "*":
            wanted.append(tag)
    try:
        best = Locale.negotiate(wanted, list(LANGUAGES), sep="_")
    except (UnknownLocaleError, ValueError):
        best = None
    return str(best.language) if best is not None else DEFAULT
