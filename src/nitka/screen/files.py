"""Screening a file: a passenger list or a crossing log, one check per row.

Columns (any order, case-insensitive; others are copied through):
``name`` or ``first_name``/``last_name``, ``birth_date``, ``gender``,
``nationality``, ``passport_number`` for persons; ``document_number`` and
``document_country`` for a document alone; ``vin``, ``plate`` and
``vehicle_country`` for a vehicle. A row with a VIN or plate is a vehicle
check, a row with a name a person check, a row with only a document number a
document check. The output repeats each row with the check's answer.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from nitka.csv_files import csv_in_out
from nitka.errors import IngestError
from nitka.screen.audit import CheckContext
from nitka.screen.service import MAX_BATCH, Answer, Screener

ANSWER_COLUMNS = (
    "hit",
    "score",
    "entry_id",
    "entry",
    "lists",
    "records",
    "handling",
    "log_id",
    "error",
)


def row_query(row: dict[str, str]) -> dict[str, Any]:
    """The query of one row (see the module's docstring for the columns)."""
    value = {key.strip().lower(): (text or "").strip() for key, text in row.items() if key}

    def props(**mapping: str) -> dict[str, list[str]]:
        return {prop: [value[column]] for prop, column in mapping.items() if value.get(column)}

    if value.get("vin") or value.get("plate"):
        plates = [value[c] for c in ("vin", "plate") if value.get(c)]
        return {
            "schema": "Vehicle",
            "properties": {"registrationNumber": plates, **props(country="vehicle_country")},
        }
    if value.get("name") or value.get("first_name") or value.get("last_name"):
        return {
            "schema": "Person",
            "properties": props(
                name="name",
                firstName="first_name",
                lastName="last_name",
                birthDate="birth_date",
                gender="gender",
                nationality="nationality",
                passportNumber="passport_number",
            ),
        }
    return {
        "schema": "Passport",
        "properties": props(number="document_number", country="document_country"),
    }


def screen_file(
    screener: Screener,
    source: Path,
    target: Path,
    context: CheckContext,
    *,
    threshold: float,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Screen every row into ``target`` (written whole or not at all); (rows, hits)."""
    rows = hits = 0
    with csv_in_out(source, target) as (fh, out):
        reader = csv.DictReader(fh)
        if not reader.fieldnames:
            raise IngestError(f"{source} is empty: expected a header row")
        writer = csv.DictWriter(out, [*reader.fieldnames, *ANSWER_COLUMNS])
        writer.writeheader()
        for chunk in _chunks(reader, MAX_BATCH):
            answers = screener.screen(
                [row_query(row) for row in chunk], context, threshold=threshold, limit=1
            )
            for row, answer in zip(chunk, answers, strict=True):
                writer.writerow({**row, **_answer_columns(answer)})
                hits += bool(answer.result and answer.result.is_hit)
            rows += len(chunk)
            if progress is not None:
                progress(len(chunk))
    return rows, hits


def _chunks(reader: Iterator[dict[str, str]], size: int) -> Iterator[list[dict[str, str]]]:
    chunk: list[dict[str, str]] = []
    for row in reader:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _answer_columns(answer: Answer) -> dict[str, str]:
    columns = dict.fromkeys(ANSWER_COLUMNS, "")
    columns["log_id"] = str(answer.log_id or "")
    if answer.error is not None:
        columns["error"] = str(answer.error)
        return columns
    assert answer.result is not None
    columns["hit"] = "yes" if answer.result.is_hit else "no"
    if answer.result.hits:
        best = answer.result.hits[0]
        columns.update(
            score=f"{best.score:.4f}",
            entry_id=best.entry.id,
            entry=best.entry.caption,
            lists=";".join(best.entry.lists),
            records=";".join(best.entry.records),
            handling=best.entry.handling.value,
        )
    return columns
