"""INTERPOL red notices, as INTERPOL's public notices API serves them.

Why: a red notice is a request to locate and provisionally arrest a wanted
person. Analysts screen names from a case against them, so each notice is
kept as a wanted ``Person`` with the warrants behind it.

Source layout. The API (``ws-public.interpol.int/notices/v1/red``) serves:

- result pages, ``{"total": ..., "_embedded": {"notices": [...]}, "_links": ...}``,
  whose notices are summaries: ``forename``, ``name``, ``date_of_birth``
  (``1999/01/23``, or a year), ``entity_id`` (``2022/46614``),
  ``nationalities`` and ``_links``;
- one document per notice with the full record: ``arrest_warrants`` (each
  with ``issuing_country_id``, ``charge``, ``charge_translation``),
  ``sex_id`` (M, F, U), ``height`` (metres), ``weight`` (kilograms),
  ``eyes_colors_id`` and ``hairs_id`` (INTERPOL code lists), ``place_of_birth``,
  ``country_of_birth_id``, ``languages_spoken_ids`` (ISO 639-2 codes,
  upper case), ``distinguishing_marks``. A 0 height or weight means unknown.

This reader takes any of: a list of notices, one notice, one page, a list of
pages, or a list of lists of notices (what scrapers save). Records are the
notices in reading order, numbered from 1.

Each notice becomes a ``Person`` with id ``interpol-red-<entity_id with / as ->``
(so the same notice read twice is one entity) and the topic ``wanted``, plus
one ``Sanction`` per arrest warrant: INTERPOL as ``authority``, "INTERPOL Red
Notice" as ``program``, the notice id as ``authorityId``, the charge (and
INTERPOL's translation of it, when given) as ``reason``, and the country that
asked for the notice as ``country``. Three INTERPOL codes are not countries
but international tribunals (914, 916, 922): the tribunal is then named as a
second ``authority`` and the sanction has no country. ``UNK`` (under UNMIK
mandate) is Kosovo, ``xk``.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy, model
from followthemoney.types import registry

from nitka.errors import BadRecord, IngestError, RecordError
from nitka.ingest.base import Converted, Converter
from nitka.ingest.readers import STDIN, check_not_empty
from nitka.ingest.values import set_value
from nitka.model.handling import DataSubjectCategory

ID_PREFIX = "interpol-red-"
AUTHORITY = "INTERPOL"
PROGRAM = "INTERPOL Red Notice"
TOPIC = "wanted"

GENDERS = {"M": "male", "F": "female"}
"""INTERPOL's ``sex_id``; ``U`` (unknown) gives no gender rather than FtM's
``other``, which means a gender other than male or female, not an unknown one."""
UNKNOWN_SEX = "U"

TRIBUNALS = {
    "914": "ICC (International Criminal Court)",
    "916": "STL (Special Tribunal for Lebanon)",
    "922": "UN IRMCT (United Nations International Residual Mechanism for Criminal Tribunals)",
}
"""INTERPOL's codes for international tribunals that may ask for a notice."""
COUNTRY_ALIASES = {"UNK": "xk"}
"""INTERPOL codes that are not ISO 3166: ``UNK`` is Kosovo under UNMIK mandate."""

_LANGUAGE = re.compile(r"[A-Za-z]{3}")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


def person_id(notice_id: str) -> str:
    """The Person id of a notice: ``2022/46614`` gives ``interpol-red-2022-46614``."""
    return ID_PREFIX + notice_id.replace("/", "-")


def _is_page(data: dict[str, Any]) -> bool:
    embedded = data.get("_embedded")
    return isinstance(embedded, dict) and "notices" in embedded


def _find_notices(data: Any, top: bool = False) -> Iterator[Any]:
    """Every notice of a list, a page, a list of pages or a single notice.

    Items of a list that are neither lists nor pages are notices; whatever is
    not a JSON object among them is yielded as it is, to be refused by number.
    """
    if isinstance(data, list):
        for item in data:
            yield from _find_notices(item)
    elif isinstance(data, dict) and _is_page(data):
        notices = data["_embedded"]["notices"]
        if not isinstance(notices, list):
            raise IngestError("_embedded.notices must be a list of notices")
        yield from _find_notices(notices)
    elif not (top and data == {}):
        yield data


class InterpolConverter(Converter):
    """INTERPOL red-notice JSON to wanted persons and their arrest warrants."""

    kind = "interpol"
    default_category = DataSubjectCategory.SUSPECT

    @cached_property
    def _notices(self) -> list[Any]:
        check_not_empty(self.path)
        try:
            if self.path == STDIN:
                raw = sys.stdin.buffer.read().decode("utf-8-sig")
            else:
                raw = Path(self.path).read_text("utf-8-sig")
        except FileNotFoundError:
            raise IngestError(f"{self.path}: no such file") from None
        except UnicodeDecodeError:
            raise IngestError(f"{self.path}: the file is not UTF-8") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise IngestError(f"{self.path}: not INTERPOL notice JSON ({exc})") from None
        if not isinstance(data, list | dict):
            raise IngestError(f"{self.path}: expected a JSON list or object of notices")
        try:
            notices = list(_find_notices(data, top=True))
        except IngestError as exc:
            raise IngestError(f"{self.path}: {exc}") from None
        if not notices:
            raise IngestError(f"{self.path}: no INTERPOL notices found")
        return notices

    def count(self) -> int | None:
        return len(self._notices) if self.path != STDIN else None

    def records(self) -> Iterator[tuple[int, Any]]:
        for number, notice in enumerate(self._notices, start=1):
            if isinstance(notice, dict):
                yield number, notice
            else:
                error = RecordError("a notice must be a JSON object", field="(json)")
                yield number, BadRecord(error, json.dumps(notice, ensure_ascii=False))

    def convert(self, record: Any) -> Iterable[Converted]:
        if not isinstance(record, dict):
            raise RecordError("a notice must be a JSON object", field="(json)")
        notice_id = _text(record, "entity_id")
        if not notice_id:
            raise RecordError("a notice needs its entity_id", field="entity_id")
        forename = _text(record, "forename")
        surname = _text(record, "name")
        if not forename and not surname:
            raise RecordError("a notice needs a forename or a name", field="name")
        person = model.make_entity("Person")
        person.id = person_id(notice_id)
        set_value(person, "name", f"{forename} {surname}".strip(), "name")
        set_value(person, "firstName", forename, "forename")
        set_value(person, "lastName", surname, "name")
        set_value(person, "birthDate", _text(record, "date_of_birth"), "date_of_birth")
        set_value(person, "birthPlace", _text(record, "place_of_birth"), "place_of_birth")
        _set_country(
            person, "birthCountry", _text(record, "country_of_birth_id"), "country_of_birth_id"
        )
        for nationality in _texts(record, "nationalities"):
            _set_country(person, "nationality", nationality, "nationalities")
        sex = _text(record, "sex_id").upper()
        if sex and sex != UNKNOWN_SEX:
            if sex not in GENDERS:
                raise RecordError(f"{sex!r} is not M, F or U", field="sex_id")
            set_value(person, "gender", GENDERS[sex], "sex_id")
        for field in ("height", "weight"):
            set_value(person, field, _measure(record, field), field)
        for code in _texts(record, "eyes_colors_id"):
            set_value(person, "eyeColor", code, "eyes_colors_id")
        for code in _texts(record, "hairs_id"):
            set_value(person, "hairColor", code, "hairs_id")
        marks = _text(record, "distinguishing_marks")
        set_value(person, "appearance", marks, "distinguishing_marks")
        for code in _texts(record, "languages_spoken_ids"):
            _set_language(person, code)
        url = _link(record)
        set_value(person, "sourceUrl", url, "_links.self.href")
        set_value(person, "topics", TOPIC, "entity_id")
        entities: list[Converted] = [person]
        warrants = record.get("arrest_warrants")
        if warrants is not None and not isinstance(warrants, list):
            raise RecordError("arrest_warrants must be a list", field="arrest_warrants")
        for number, warrant in enumerate(warrants or [], start=1):
            entities.append(self._sanction(person, notice_id, number, warrant, url))
        return entities

    def _sanction(
        self, person: EntityProxy, notice_id: str, number: int, warrant: Any, url: str
    ) -> EntityProxy:
        field = f"arrest_warrants[{number}]"
        if not isinstance(warrant, dict):
            raise RecordError("an arrest warrant must be an object", field=field)
        sanction = model.make_entity("Sanction")
        sanction.id = f"{person.id}-warrant-{number}"
        sanction.add("entity", person.id)
        set_value(sanction, "authority", AUTHORITY, field)
        set_value(sanction, "program", PROGRAM, field)
        set_value(sanction, "authorityId", notice_id, "entity_id")
        country_field = f"{field}.issuing_country_id"
        country = _text(warrant, "issuing_country_id", country_field)
        if country in TRIBUNALS:
            set_value(sanction, "authority", TRIBUNALS[country], country_field)
        else:
            _set_country(sanction, "country", country, country_field)
        set_value(
            sanction, "reason", _text(warrant, "charge", f"{field}.charge"), f"{field}.charge"
        )
        translation_field = f"{field}.charge_translation"
        translation = _text(warrant, "charge_translation", translation_field)
        set_value(sanction, "reason", translation, translation_field)
        set_value(sanction, "sourceUrl", url, "_links.self.href")
        return sanction


def _text(data: dict[str, Any], key: str, field: str | None = None) -> str:
    """A string (or number) field, stripped; "" when missing or null."""
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordError(f"expected a text value, got {type(value).__name__}", field=field or key)
    return str(value).strip()


def _texts(data: dict[str, Any], key: str) -> list[str]:
    """A list field (a lone string is taken as a list of one)."""
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError("expected a list of codes", field=key)
    return [v.strip() for v in value if v.strip()]


def _measure(record: dict[str, Any], field: str) -> str:
    """Height (metres) or weight (kilograms) as given; 0 means unknown, giving ""."""
    value = record.get(field)
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        text = value.strip()
    elif isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < math.inf:
        text = str(value)
    elif value is None:
        return ""
    else:
        raise RecordError(f"{value!r} is not a number", field=field)
    return "" if float(text) == 0 else text


def _link(record: dict[str, Any]) -> str:
    links = record.get("_links")
    self_link = links.get("self") if isinstance(links, dict) else None
    href = self_link.get("href") if isinstance(self_link, dict) else None
    if href is not None and not isinstance(href, str):
        raise RecordError("expected a URL", field="_links.self.href")
    return href or ""


def _set_country(proxy: EntityProxy, prop: str, code: str, field: str) -> None:
    set_value(proxy, prop, COUNTRY_ALIASES.get(code.upper(), code), field)


def _set_language(person: EntityProxy, code: str) -> None:
    """ISO 639 codes as FtM knows them (it maps 639-2/B ``ALB`` to ``sqi``).

    INTERPOL's list goes beyond FtM's (``CHE`` Chechen, ``LEZ`` Lezghian, both
    common in the notices): such a code is kept as given, in lower case.
    """
    if not _LANGUAGE.fullmatch(code):
        raise RecordError(
            f"{code!r} is not a three-letter language code", field="languages_spoken_ids"
        )
    cleaned = registry.language.clean(code.lower())
    set_value(
        person, "spokenLanguage", cleaned or code.lower(), "languages_spoken_ids", trusted=True
    )
