"""CSV and XLSX files through FtM mapping files (YAML).

A mapping file is the one FtM's own ``ftm map`` reads: entities, their
schemata, keys and which column feeds which property. Nitka reads the rows
itself (so it can number them and name the bad one) and checks every mapped
value before FtM's mapping would silently drop it.

The mapping file may hold one query (``entities:`` at the top), a ``queries:``
list, or FtM's dataset form (``name: {queries: [...]}``). Its ``csv_url`` is
ignored: the file given on the command line is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from followthemoney import model
from followthemoney.exc import InvalidMapping
from followthemoney.mapping import QueryMapping
from followthemoney.mapping.property import PropertyMapping

from nitka.errors import IngestError, RecordError
from nitka.ingest.base import Converted, Converter, ConverterOptions
from nitka.ingest.notes import drop_value
from nitka.ingest.readers import count_lines, read_csv, read_xlsx
from nitka.ingest.values import MAX_VALUE_LENGTH, read_values

READ_TYPES = frozenset({"date", "country"})
"""Property types whose cells Nitka reads itself, in every form lists write them."""
VALUE_SEPARATOR = "\x1f"
"""Joins the values read from one cell for FtM's mapping to split again."""


def load_queries(path: str, dataset: str) -> list[QueryMapping]:
    """Parse a mapping file into FtM query mappings, or fail naming the problem."""
    file = Path(path)
    if not file.is_file():
        raise IngestError(f"{path}: no such mapping file")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise IngestError(f"{path}: not a readable YAML mapping ({exc})") from None
    queries = _query_dicts(data)
    if not queries:
        raise IngestError(f"{path}: no mapping queries found (expected 'entities' or 'queries')")
    parsed = []
    for query in queries:
        # The input file is given on the command line; FtM insists on a source.
        query = {**query, "csv_url": query.get("csv_url", "file:///dev/null")}
        try:
            made = model.make_mapping(query, key_prefix=dataset, dataset=dataset)
        except InvalidMapping as exc:
            raise IngestError(f"{path}: invalid mapping: {exc}") from None
        for entity in made.entities:
            for prop in entity.properties:
                if prop.split is None and prop.prop.type.name in READ_TYPES:
                    # One cell may state several dates or countries (read_values).
                    prop.split = VALUE_SEPARATOR
        parsed.append(made)
    return parsed


def _query_dicts(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        return []
    if "entities" in data:
        return [data]
    if "queries" in data or "query" in data:
        found = data.get("queries") or [data.get("query")]
        return [q for q in found if isinstance(q, dict)]
    result: list[dict[str, Any]] = []
    for value in data.values():
        result.extend(_query_dicts(value))
    return result


class MappingConverter(Converter):
    kind = "mapping"

    def __init__(self, path: str, dataset: str, options: ConverterOptions | None = None) -> None:
        super().__init__(path, dataset, options)
        if not self.options.mapping:
            raise IngestError("the mapping kind needs a mapping file (--mapping FILE)")
        self.queries = load_queries(self.options.mapping, dataset)

    @property
    def is_xlsx(self) -> bool:
        return self.path.lower().endswith((".xlsx", ".xlsm"))

    def count(self) -> int | None:
        if self.is_xlsx:
            return None
        lines = count_lines(self.path)
        return None if lines is None else max(lines - 1, 0)

    def records(self) -> Iterator[tuple[int, Any]]:
        if self.is_xlsx:
            return read_xlsx(self.path, self.options.sheet)
        return read_csv(self.path)

    def convert(self, record: Any) -> Iterable[Converted]:
        entities: list[Converted] = []
        for query in self.queries:
            # FtM's Record type says str values, but it skips None (empty cells).
            checked = _check_record(query, record)
            entities.extend(query.map(checked).values())  # type: ignore[arg-type]
        return entities


def _check_record(query: QueryMapping, record: dict[str, str]) -> dict[str, str | None]:
    """Check every mapped column; returns the record with dates and countries read
    and the values that cannot be kept left out (each noted, ``drop_value``).

    Empty cells are left out, so that FtM's mapping does not log each one.
    """
    checked: dict[str, str | None] = {k: (v if v.strip() else None) for k, v in record.items()}
    for entity in query.entities:
        for column in entity.keys:
            if column not in record:
                raise RecordError(
                    f"the mapping takes {entity.name!r} keys from column {column!r}, "
                    "which the file does not have",
                    field=column,
                )
        for mapping in entity.properties:
            if mapping.entity is not None or mapping.template is not None:
                continue
            for column in mapping.refs:
                if column not in record:
                    raise RecordError(
                        f"the mapping reads column {column!r}, which the file does not have",
                        field=column,
                    )
                raw = (record.get(column) or "").strip()
                if raw:
                    checked[column] = _checked_cell(entity.schema.name, mapping, column, raw)
    return checked


def _checked_cell(schema: str, mapping: PropertyMapping, column: str, raw: str) -> str | None:
    """The cell with only the values that can be kept (dates and countries read
    into their codes, joined by the property's split); the others are dropped
    with a note naming the column."""
    if len(raw) > MAX_VALUE_LENGTH:
        reason = (
            f"value is {len(raw):,} characters long, more than the {MAX_VALUE_LENGTH:,} allowed"
        )
        drop_value(column, raw[:200] + "...", reason)
        return None
    prop_type = mapping.prop.type
    where = f"{schema}.{mapping.prop.name}"
    kept: list[str] = []
    for part in filter(str.strip, raw.split(mapping.split) if mapping.split else [raw]):
        if prop_type.name in READ_TYPES and mapping.format is None:
            for value, problem in read_values(prop_type, part):
                if problem is None:
                    kept.append(value)
                else:
                    drop_value(column, value, f"{problem} for {where}")
        elif prop_type.clean(part, fuzzy=mapping.fuzzy, format=mapping.format) is None:
            drop_value(
                column, part, f"{part!r} is not a valid {prop_type.label.lower()} for {where}"
            )
        else:
            kept.append(part)
    return (mapping.split or VALUE_SEPARATOR).join(kept) if kept else None
