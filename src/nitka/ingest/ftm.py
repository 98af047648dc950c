"""FtM JSON lines: entities (``{"id", "schema", "properties"}``) or statements.

Statement lines (with ``entity_id`` and ``prop``) keep their own dataset,
timestamps and, when present, Nitka's police fields, so that an export read
back gives the same store. Entity lines get the ingest's provenance.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from followthemoney import model

from nitka.errors import RecordError
from nitka.ingest.base import Converted, Converter
from nitka.ingest.readers import count_lines, read_json_lines
from nitka.ingest.values import MAX_VALUE_LENGTH, set_value
from nitka.model.grading import Credibility, Reliability
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import ENTITY_PROP, PoliceStatement

CHECKED_TYPES = frozenset({"date", "country", "gender"})
"""Types whose values are checked even in FtM input, where a bad value would
mislead an analysis (a timeline, a nationality filter). Other values in FtM
data were cleaned by the tool that wrote them and are kept as given, as FtM
itself keeps them (real lists carry, say, several phone numbers in one value)."""


class FtMConverter(Converter):
    kind = "ftm"

    def count(self) -> int | None:
        return count_lines(self.path)

    def records(self) -> Iterator[tuple[int, Any]]:
        return read_json_lines(self.path)

    def convert(self, record: Any) -> Iterable[Converted]:
        if "entity_id" in record and "prop" in record:
            return [self._statement(record)]
        return [self._entity(record)]

    def _entity(self, record: dict[str, Any]) -> Converted:
        entity_id = record.get("id")
        if not isinstance(entity_id, str) or not entity_id.strip():
            raise RecordError("an entity needs an id", field="id")
        schema = model.get(str(record.get("schema")))
        if schema is None:
            raise RecordError(f"unknown schema {record.get('schema')!r}", field="schema")
        if schema.abstract:
            raise RecordError(f"schema {schema.name} is abstract", field="schema")
        proxy = model.make_entity(schema)
        proxy.id = entity_id
        properties = record.get("properties") or {}
        if not isinstance(properties, dict):
            raise RecordError("properties must be an object", field="properties")
        for name, values in properties.items():
            values = values if isinstance(values, list) else [values]
            prop = schema.properties.get(name)
            trusted = prop is not None and prop.type.name not in CHECKED_TYPES
            for value in values:
                set_value(proxy, name, value, field=f"properties.{name}", trusted=trusted)
        return proxy

    def _statement(self, record: dict[str, Any]) -> PoliceStatement:
        return parse_statement(record, self.dataset)


_E = TypeVar("_E", Reliability, Credibility, DataSubjectCategory, HandlingCode)


def _enum(kind: type[_E], raw: object, field: str) -> _E:
    try:
        return kind(str(raw))
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise RecordError(f"{raw!r} is not one of {allowed}", field=field) from None


def parse_statement(record: dict[str, Any], dataset: str) -> PoliceStatement:
    """A statement line (``nitka export --statements``) checked; a bad one raises
    RecordError naming the field.

    Written for speed (a large ingest parses millions of lines): every field
    is read once, and the common case (no police fields, short texts) takes
    no function calls besides the statement's own.
    """
    get = record.get
    schema_name = get("schema")
    schema = model.get(schema_name if isinstance(schema_name, str) else str(schema_name))
    if schema is None:
        raise RecordError(f"unknown schema {schema_name!r}", field="schema")
    prop = get("prop")
    prop = str(prop) if prop else ""
    value = get("value")
    if not isinstance(value, str) or not value:
        raise RecordError("a statement needs a value", field="value")
    if len(value) > MAX_VALUE_LENGTH:
        raise RecordError(
            f"value is {len(value):,} characters long, more than the {MAX_VALUE_LENGTH:,} allowed",
            field="value",
        )
    if prop != ENTITY_PROP and prop not in schema.properties:
        raise RecordError(f"{schema.name} has no property {prop!r}", field="prop")
    entity_id = get("entity_id")
    if not isinstance(entity_id, str) or not entity_id:
        raise RecordError("a statement needs an entity_id", field="entity_id")
    # The store's column sizes, in the order of _FIELD_LENGTHS: a longer
    # value is the record's error, not the database's.
    if len(entity_id) > 255:
        _check_text(entity_id, "entity_id")
    canonical_id = get("canonical_id")
    if canonical_id is not None:
        _check_text(canonical_id, "canonical_id")
    own_dataset = get("dataset")
    if own_dataset is not None:
        _check_text(own_dataset, "dataset")
    lang = get("lang")
    if lang is not None:
        _check_text(lang, "lang")
    first_seen = get("first_seen")
    if first_seen is not None:
        _check_text(first_seen, "first_seen")
    last_seen = get("last_seen")
    if last_seen is not None:
        _check_text(last_seen, "last_seen")
    case = get("case")
    if case is not None:
        _check_text(case, "case")
    author = get("author")
    if author is not None:
        _check_text(author, "author")
    raw = get("reliability")
    reliability = Reliability.F if raw is None else _enum(Reliability, raw, "reliability")
    raw = get("credibility")
    credibility = (
        Credibility.CANNOT_BE_JUDGED if raw is None else _enum(Credibility, raw, "credibility")
    )
    raw = get("category")
    category = (
        DataSubjectCategory.OTHER if raw is None else _enum(DataSubjectCategory, raw, "category")
    )
    raw = get("handling")
    handling = HandlingCode.H0 if raw is None else _enum(HandlingCode, raw, "handling")
    assessment = get("assessment")
    return PoliceStatement(
        entity_id=entity_id,
        schema=schema.name,
        prop=prop,
        value=value,
        dataset=own_dataset or dataset,
        canonical_id=canonical_id or entity_id,
        lang=lang,
        original_value=get("original_value"),
        origin=get("origin"),
        first_seen=first_seen,
        last_seen=last_seen,
        reliability=reliability,
        credibility=credibility,
        category=category,
        handling=handling,
        handling_note=get("handling_note"),
        case=case,
        assessment=bool(assessment) if assessment is not None else False,
        author=author,
    )


_FIELD_LENGTHS = {
    "entity_id": 255,
    "canonical_id": 255,
    "dataset": 255,
    "lang": 16,
    "first_seen": 32,
    "last_seen": 32,
    "case": 255,
    "author": 255,
}
"""The store's column sizes: a longer value is the record's error, not the database's."""


def _check_text(value: object, field: str) -> None:
    if not isinstance(value, str):
        raise RecordError(f"{field} must be text, not {type(value).__name__}", field=field)
    longest = _FIELD_LENGTHS[field]
    if len(value) > longest:
        raise RecordError(
            f"{field} is {len(value):,} characters long, more than {longest}", field=field
        )
