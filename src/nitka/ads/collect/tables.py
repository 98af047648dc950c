"""Ads from tables: CSV files and JSON lines, one ad a row or line.

The columns (or keys) read: ``text`` (or ``body``, ``description``, ``content``),
``title``, ``url`` (or ``link``), ``published`` (or ``date``, ``published_at``),
``publisher`` (or ``source``), ``author`` and ``id``. Others are kept with the
original record and not read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from nitka.ads.collect.ad import Ad, optional_text, published_at, require_text
from nitka.errors import BadRecord, IngestError, RecordError

FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "description", "content"),
    "title": ("title",),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at"),
    "publisher": ("publisher", "source"),
    "author": ("author",),
    "id": ("id", "ad_id"),
}
"""Each field the ad takes, and the column names it is read from, in order."""


def csv_records(data: bytes) -> Iterator[tuple[int, Any]]:
    """Rows as dicts, numbered from 1 after the header. Bytes that are not UTF-8 stay
    in the row (as escapes) and are named when the row is read, so the other rows
    are collected."""
    text = data.decode("utf-8-sig", errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise IngestError("the CSV file is empty: no header row") from None
    except csv.Error as error:
        raise IngestError(f"the CSV header cannot be read: {error}") from None
    if not any(name in header for name in FIELDS["text"] + FIELDS["title"]):
        raise IngestError(f"the CSV header {header} has no text or title column")
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield number, BadRecord(RecordError(f"not CSV: {error}", field="row"), "")
            continue
        if not any(cell.strip() for cell in row):
            number -= 1
            continue
        if len(row) != len(header):
            why = f"{len(row)} fields where the header has {len(header)}"
            yield number, BadRecord(RecordError(why, field="row"), ",".join(row))
            continue
        yield number, dict(zip(header, row, strict=True))


def jsonl_records(data: bytes) -> Iterator[tuple[int, Any]]:
    """Lines as parsed JSON, numbered from 1; a line that is not JSON is a bad record
    (the others are read)."""
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, orjson.loads(line)
        except orjson.JSONDecodeError as error:
            raw = line.decode("utf-8", errors="replace")
            yield number, BadRecord(RecordError(f"not JSON: {error}", field="line"), raw)


def ad_from_row(record: object, source: str) -> Ad:
    """The ad of one row or line."""
    if not isinstance(record, Mapping):
        raise RecordError(f"expected an object, got {type(record).__name__}", field="record")
    values = {field: _first(record, names, field) for field, names in FIELDS.items()}
    title = values["title"]
    return Ad(
        text=require_text(values["text"], title, "text"),
        title=title,
        url=values["url"],
        published=published_at(_raw(record, FIELDS["published"]), "published"),
        publisher=values["publisher"],
        author=values["author"],
        message_id=values["id"],
        source=source,
        original=dict(record),
    )


def _raw(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if record.get(name) not in (None, ""):
            return record[name]
    return None


def _first(record: Mapping[str, Any], names: tuple[str, ...], field: str) -> str | None:
    value = _raw(record, names)
    if isinstance(value, int | float) and not isinstance(value, bool) and field != "published":
        value = str(value)
    if field == "published":
        return None
    return optional_text(value, field)
