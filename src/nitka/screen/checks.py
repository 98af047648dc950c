"""One check: a query shaped like an FtM entity, its hits, and the errors it can have.

A query is ``{"schema": "Person", "properties": {"name": ["Oleksandr Petrenko"],
"birthDate": ["1984"]}}``, and likewise for Passport, Identification and
Vehicle. A bad query gets a QueryError naming the field, never a guess.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from followthemoney import EntityProxy, model, registry

from nitka.errors import FieldError
from nitka.match.entities import (
    Party,
    compare_entities,
    compare_parties,
    names_of,
    party_score,
    vehicle_keys,
)
from nitka.normalise.dates import normalise_date
from nitka.normalise.ids import IdentifierError
from nitka.normalise.ids.mrz import parse_mrz
from nitka.screen.entries import ListEntry
from nitka.screen.index import ScreeningIndex, is_looked_up

SCREENABLE = (
    "Person",
    "Passport",
    "Identification",
    "Vehicle",
    "LegalEntity",
    "Organization",
    "Company",
)
"""What a check can be about: a person (or an organisation, as yente's clients
send them), a travel document or a vehicle."""
DEFAULT_THRESHOLD = 0.7
MAX_VALUES = 20
"""Values per property a query may give (a check is about one person or thing)."""
MAX_VALUE_LENGTH = 500


class QueryError(FieldError):
    """A query that cannot be checked, with the field that is wrong."""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass
class Hit:
    entry: ListEntry
    score: float
    explanation: list[str]


@dataclass
class CheckResult:
    schema: str
    hits: list[Hit] = field(default_factory=list)

    @property
    def is_hit(self) -> bool:
        return bool(self.hits)


def parse_query(data: Any, where: str = "") -> EntityProxy:
    """An FtM-shaped query as an entity, checked; ``where`` prefixes field names."""
    if not isinstance(data, dict):
        raise QueryError("a query must be an object with schema and properties", field=where or ".")
    schema_name = data.get("schema")
    if schema_name not in SCREENABLE:
        allowed = ", ".join(SCREENABLE)
        raise QueryError(f"schema must be one of {allowed}", field=f"{where}schema")
    schema = model.get(str(schema_name))
    assert schema is not None
    properties = data.get("properties")
    if not isinstance(properties, dict) or not properties:
        raise QueryError("properties must be a non-empty object", field=f"{where}properties")
    proxy = model.make_entity(schema)
    proxy.id = "query"
    for name, values in properties.items():
        path = f"{where}properties.{name}"
        if name == MRZ and schema.is_a("Identification"):
            _add_mrz(proxy, values, path)
            continue
        prop = schema.properties.get(name)
        if prop is None:
            raise QueryError(f"{schema.name} has no property {name!r}", field=path)
        values = values if isinstance(values, list) else [values]
        if len(values) > MAX_VALUES:
            raise QueryError(f"at most {MAX_VALUES} values", field=path)
        for value in values:
            proxy.unsafe_add(prop, _clean(prop.type.name, value, path), cleaned=True)
    _require_identity(proxy, where)
    return proxy


MRZ = "mrz"
"""Not an FtM property: a document query may give the machine-readable zone as read."""


def _add_mrz(proxy: EntityProxy, values: Any, path: str) -> None:
    """Fill a document query from its MRZ: number, holder's names, birth date, sex, countries."""
    for value in values if isinstance(values, list) else [values]:
        if not isinstance(value, str) or not value.strip():
            raise QueryError("the MRZ is empty", field=path)
        try:
            mrz = parse_mrz(value)
        except IdentifierError as error:
            raise QueryError(error.message, field=f"{path}{error.field[len(MRZ) :]}") from None
        found = {
            "number": mrz.document_number,
            "surname": mrz.surname,
            "givenName": mrz.given_names,
            "birthDate": mrz.birth_date,
            "gender": {"M": "male", "F": "female"}.get(mrz.sex),
            "country": registry.country.clean(mrz.issuing_state),
        }
        for prop, text in found.items():
            if text and prop in proxy.schema.properties:
                proxy.unsafe_add(proxy.schema.properties[prop], text, cleaned=True)


def _clean(type_name: str, value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise QueryError("values must be strings", field=path)
    text = value.strip()
    if not text:
        raise QueryError("value is empty", field=path)
    if len(text) > MAX_VALUE_LENGTH:
        raise QueryError(f"value is longer than {MAX_VALUE_LENGTH} characters", field=path)
    if type_name == "date":
        if _is_full_date(text):
            return text  # as a document gives it: the common case, cleaned as is
        date = registry.date.clean(normalise_date(text) or "")
        if date is None:
            raise QueryError(f"{text!r} is not a date", field=path)
        return date
    if type_name in ("country", "gender"):
        cleaned: str | None = registry.get(type_name).clean(text)
        if cleaned is None:
            raise QueryError(f"{text!r} is not a known {type_name}", field=path)
        return cleaned
    return text


_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_full_date(text: str) -> bool:
    """Whether the text is a real calendar date written YYYY-MM-DD."""
    if not _FULL_DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _require_identity(proxy: EntityProxy, where: str) -> None:
    """A check needs something that identifies: a name, a number, a plate or VIN."""
    schema = proxy.schema
    if schema.is_a("Vehicle"):
        if not any(vehicle_keys(proxy).values()):
            raise QueryError(
                "a vehicle check needs a VIN or plate",
                field=f"{where}properties.registrationNumber",
            )
    elif schema.is_a("Identification"):
        if not proxy.get("number", quiet=True) and not proxy.get("passportNumber", quiet=True):
            raise QueryError("a document check needs a number", field=f"{where}properties.number")
    elif not names_of(proxy) and not any(
        proxy.get(p, quiet=True) for p in ("passportNumber", "idNumber", "taxNumber")
    ):
        raise QueryError(
            "a check of a person or organisation needs a name", field=f"{where}properties.name"
        )


def check(
    index: ScreeningIndex,
    query: EntityProxy,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
) -> CheckResult:
    """The entries of the index that match the query at or above the threshold, best first."""
    result = CheckResult(query.schema.name)
    party = None if is_looked_up(query.schema) else Party.of(query)
    for candidate in index.candidates(query, threshold=threshold):
        entry = candidate.entry
        if not _comparable(query, entry):
            continue
        if party is not None:
            entry_party = index.party(entry)
            # Most candidates are not hits: their score alone rules them out,
            # and only a hit's comparison is made again with its explanation.
            if party_score(party, entry_party) < threshold:
                continue
            comparison = compare_parties(party, entry_party)
        else:
            comparison = compare_entities(query, entry.proxy)
        if comparison.score >= threshold:
            result.hits.append(Hit(entry, comparison.score, comparison.explain()))
    result.hits.sort(key=lambda hit: (-hit.score, hit.entry.id))
    del result.hits[limit:]
    return result


def _comparable(query: EntityProxy, entry: ListEntry) -> bool:
    schema = entry.proxy.schema
    if query.schema.is_a("Vehicle"):
        return schema.is_a("Vehicle")
    if query.schema.is_a("Identification"):
        return schema.is_a("Identification")
    return schema.is_a("LegalEntity")
