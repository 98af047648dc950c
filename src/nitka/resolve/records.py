"""Person records read from a CSV for linking: an ``id`` column and FtM Person properties.

The file is checked whole before anything is linked, and a bad file is
refused with the row and the column at fault (``RowError``): no ``id``
column, no name column, an empty or repeated id, a date that cannot be read.
Rows are counted as a spreadsheet shows them: the header is row 1, the first
record row 2. A cell may hold several values separated by ``;``.

Columns that are no property of an FtM Person are not linked on; they are
named in ``PersonFile.ignored`` so that the caller can say so (a ``birthdate``
for ``birthDate`` would otherwise silently not count).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, product
from typing import IO

from followthemoney import model

from nitka.errors import RecordError
from nitka.match.entities import MAX_NAMES, NAME_PROPS
from nitka.normalise.dates import read_dates

ID = "id"
SEPARATOR = ";"
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
"""Parts of a name, put together in this order when a record gives no whole name."""
NAME_COLUMNS = (*NAME_PROPS, "firstName", "lastName")
"""A file needs at least one of these columns."""
PERSON = model.schemata["Person"]
HEADER_ROW = 1


class RowError(RecordError):
    """A bad input file: the row (the header is row 1) and the column at fault."""

    def __str__(self) -> str:
        return f"{self.path}, row {self.record}, column {self.field!r}: {self.message}"


@dataclass(frozen=True)
class PersonRecord:
    id: str
    row: int
    values: dict[str, list[str]]
    """Values by property; dates as ISO 8601 (``1984``, ``1984-03``, ``1984-03-04``)."""

    def get(self, prop: str) -> list[str]:
        return self.values.get(prop, [])


@dataclass
class PersonFile:
    records: list[PersonRecord] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    """Header columns that are no FtM Person property, and so are not linked on."""


@dataclass(frozen=True)
class _Column:
    index: int
    prop: str
    read: Callable[[str], Sequence[str]]


def read_persons(
    fh: IO[str], path: str, *, progress: Callable[[int], None] | None = None
) -> PersonFile:
    """Read and check every record of a CSV; ``RowError`` for the first fault."""
    reader = csv.reader(fh)
    header = next(reader, None)
    if header is None:
        raise RowError("the file is empty: expected a header with id and a name column",
                       field=ID, record=HEADER_ROW, path=path)  # fmt: skip
    id_index, columns, ignored = _header(header, path)
    result = PersonFile(ignored=ignored)
    seen: dict[str, int] = {}
    for row, cells in enumerate(reader, start=HEADER_ROW + 1):
        if not "".join(cells).strip():
            continue  # a blank row
        record = _record(row, cells, id_index, columns, len(header), path)
        if record.id in seen:
            raise RowError(f"the id {record.id!r} is already on row {seen[record.id]}",
                           field=ID, record=row, path=path)  # fmt: skip
        seen[record.id] = row
        result.records.append(record)
        if progress is not None:
            progress(1)
    return result


def _header(header: list[str], path: str) -> tuple[int, list[_Column], list[str]]:
    names = [cell.strip().lstrip("\ufeff") for cell in header]
    if names.count(ID) != 1:
        problem = "has no column 'id'" if ID not in names else "has more than one column 'id'"
        raise RowError(f"the header {problem} (each record's own identifier)",
                       field=ID, record=HEADER_ROW, path=path)  # fmt: skip
    if not any(name in NAME_COLUMNS for name in names):
        raise RowError(
            "the header has no name column: give at least one of " + ", ".join(NAME_COLUMNS),
            field="name", record=HEADER_ROW, path=path,
        )  # fmt: skip
    columns: list[_Column] = []
    ignored: list[str] = []
    for index, name in enumerate(names):
        if name == ID:
            continue
        prop = PERSON.properties.get(name)
        if prop is None or prop.stub:
            ignored.append(name)
            continue
        columns.append(_Column(index, name, _reader_of(prop.type.name)))
    return names.index(ID), columns, ignored


def _reader_of(kind: str) -> Callable[[str], Sequence[str]]:
    return _read_date if kind == "date" else _as_given


def _as_given(value: str) -> Sequence[str]:
    return (value,)


@lru_cache(maxsize=100_000)
def _read_date(value: str) -> tuple[str, ...]:
    """A cell's dates, read once for each way a file writes one: a million records
    give a few tens of thousands of birth dates, and reading one costs 60 µs."""
    reading = read_dates(value)
    if reading.unread:
        unread = "; ".join(repr(part) for part in reading.unread)
        raise ValueError(f"cannot read {unread} as a date (give YYYY-MM-DD, DD.MM.YYYY or YYYY)")
    return tuple(reading.dates)


def _record(
    row: int, cells: list[str], id_index: int, columns: list[_Column], width: int, path: str
) -> PersonRecord:
    for index in range(width, len(cells)):
        if cells[index].strip():
            raise RowError(f"the row has a value beyond the header's {width} columns",
                           field=f"#{index + 1}", record=row, path=path)  # fmt: skip
    record_id = cells[id_index].strip() if id_index < len(cells) else ""
    if not record_id:
        raise RowError("the record has no id", field=ID, record=row, path=path)
    values: dict[str, list[str]] = {}
    for column in columns:
        cell = cells[column.index] if column.index < len(cells) else ""
        if not cell:
            continue  # most cells of a wide file are empty: a million records, millions of them
        found: list[str] = []
        for part in cell.split(SEPARATOR) if SEPARATOR in cell else (cell,):
            part = " ".join(part.split())
            if not part:
                continue
            try:
                found.extend(column.read(part))
            except ValueError as error:
                raise RowError(str(error), field=column.prop, record=row, path=path) from None
        if found:
            values.setdefault(column.prop, []).extend(found)
    for prop, found in values.items():
        if len(found) > 1:
            values[prop] = list(dict.fromkeys(found))
    return PersonRecord(record_id, row, values)


def full_names(record: PersonRecord) -> list[str]:
    """A record's names (at most ``MAX_NAMES``): its whole names, else its name parts
    put together, each spelling of a part with each of the others (``Олександр;Oleksandr``
    and ``Петренко;Petrenko`` are four names)."""
    names = [name for prop in NAME_PROPS for name in record.get(prop)]
    if not names:
        parts = [values for prop in NAME_PARTS if (values := record.get(prop))]
        combinations = islice(product(*parts), MAX_NAMES) if parts else ()
        names = [" ".join(combination) for combination in combinations]
    return list(dict.fromkeys(names))[:MAX_NAMES]
