"""INTERPOL red notices, as INTERPOL's public notices API serves them.

The API (``/notices/v1/red``) returns pages whose ``_embedded.notices`` hold
summaries (forename, name, date_of_birth, entity_id, nationalities), and one
document per notice with the full record: arrest warrants with the charge and
the issuing country, sex, height, weight, eye and hair colour codes, place and
country of birth, languages, distinguishing marks. This reader takes a list of
notices, one notice, a page, or a list of pages.

Each notice becomes a ``Person`` (id ``interpol-red-<year>-<number>``, topic
``wanted``) and one ``Sanction`` per arrest warrant: the charge as its reason
(with INTERPOL's translation as a second value), the issuing country as its
country (the country of the request), INTERPOL as the authority and the
notice id as ``authorityId``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy, model

from nitka.ingest.base import Converted, Converter
from nitka.ingest.errors import IngestError, RecordError
from nitka.ingest.readers import STDIN, check_not_empty
from nitka.ingest.values import set_value
from nitka.model.handling import DataSubjectCategory

_GENDERS = {"M": "male", "F": "female", "U": "other"}


def _find_notices(data: Any) -> Iterator[dict[str, Any]]:
    """Every notice in a list, a page, a list of pages or a single notice."""
    if isinstance(data, list):
        for item in data:
            yield from _find_notices(item)
    elif isinstance(data, dict):
        embedded = data.get("_embedded")
        if isinstance(embedded, dict) and isinstance(embedded.get("notices"), list):
            yield from _find_notices(embedded["notices"])
        elif "entity_id" in data or "name" in data or "forename" in data:
            yield data


class InterpolConverter(Converter):
    kind = "interpol"
    default_category = DataSubjectCategory.SUSPECT

    @cached_property
    def _notices(self) -> list[dict[str, Any]]:
        check_not_empty(self.path)
        try:
            raw = sys.stdin.read() if self.path == STDIN else Path(self.path).read_text("utf-8")
            data = json.loads(raw)
        except UnicodeDecodeError:
            raise IngestError(f"{self.path}: the file is not UTF-8") from None
        except json.JSONDecodeError as exc:
            raise IngestError(f"{self.path}: not INTERPOL notice JSON ({exc})") from None
        notices = list(_find_notices(data))
        if not notices:
            raise IngestError(f"{self.path}: no INTERPOL notices found")
        return notices

    def count(self) -> int | None:
        return len(self._notices) if self.path != STDIN else None

    def records(self) -> Iterator[tuple[int, Any]]:
        return enumerate(self._notices, start=1)

    def convert(self, record: Any) -> Iterable[Converted]:
        notice_id = str(record.get("entity_id") or "").strip()
        if not notice_id:
            raise RecordError("a notice needs its entity_id", field="entity_id")
        person = model.make_entity("Person")
        person.id = "interpol-red-" + notice_id.replace("/", "-")
        forename = (record.get("forename") or "").strip()
        surname = (record.get("name") or "").strip()
        set_value(person, "name", f"{forename} {surname}".strip(), "name")
        set_value(person, "firstName", forename, "forename")
        set_value(person, "lastName", surname, "name")
        set_value(person, "birthDate", record.get("date_of_birth"), "date_of_birth")
        set_value(person, "birthPlace", record.get("place_of_birth"), "place_of_birth")
        set_value(person, "birthCountry", record.get("country_of_birth_id"), "country_of_birth_id")
        for nationality in record.get("nationalities") or []:
            set_value(person, "nationality", nationality, "nationalities")
        sex = record.get("sex_id")
        if sex:
            if sex not in _GENDERS:
                raise RecordError(f"{sex!r} is not M, F or U", field="sex_id")
            set_value(person, "gender", _GENDERS[sex], "sex_id")
        for field, prop in (("height", "height"), ("weight", "weight")):
            value = record.get(field)
            if value not in (None, "", 0):
                set_value(person, prop, value, field)
        for code in record.get("eyes_colors_id") or []:
            set_value(person, "eyeColor", code, "eyes_colors_id", trusted=True)
        for code in record.get("hairs_id") or []:
            set_value(person, "hairColor", code, "hairs_id", trusted=True)
        set_value(person, "appearance", record.get("distinguishing_marks"), "distinguishing_marks")
        for language in record.get("languages_spoken_ids") or []:
            # INTERPOL's ISO 639 codes (e.g. "che", Chechen) go beyond FtM's language list.
            set_value(
                person, "spokenLanguage", language.lower(), "languages_spoken_ids", trusted=True
            )
        url = ((record.get("_links") or {}).get("self") or {}).get("href")
        set_value(person, "sourceUrl", url, "_links.self.href")
        set_value(person, "topics", "wanted", "entity_id")
        entities: list[Converted] = [person]
        warrants = record.get("arrest_warrants") or []
        for number, warrant in enumerate(warrants, start=1):
            entities.append(self._sanction(person, notice_id, number, warrant, url))
        return entities

    def _sanction(
        self, person: EntityProxy, notice_id: str, number: int, warrant: Any, url: str | None
    ) -> EntityProxy:
        field = f"arrest_warrants[{number}]"
        if not isinstance(warrant, dict):
            raise RecordError("an arrest warrant must be an object", field=field)
        sanction = model.make_entity("Sanction")
        sanction.id = f"{person.id}-warrant-{number}"
        sanction.add("entity", person.id)
        set_value(sanction, "authority", "INTERPOL", field)
        set_value(sanction, "program", "INTERPOL Red Notice", field)
        set_value(sanction, "authorityId", notice_id, "entity_id")
        set_value(
            sanction, "country", warrant.get("issuing_country_id"), f"{field}.issuing_country_id"
        )
        set_value(sanction, "reason", warrant.get("charge"), f"{field}.charge")
        translation = warrant.get("charge_translation")
        set_value(sanction, "reason", translation, f"{field}.charge_translation")
        set_value(sanction, "sourceUrl", url, "_links.self.href")
        return sanction
