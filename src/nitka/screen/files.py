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

from nitka.access.visibility import PLACEHOLDER, Sight, Viewer, sight_of
from nitka.csv_files import csv_in_out
from nitka.errors import IngestError
from nitka.screen.audit import CheckContext
from nitka.screen.checks import Hit
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
    viewer: Viewer | None = None,
) -> tuple[int, int]:
    """Screen every row into ``target`` (written whole or not at all); (rows, hits).

    Each hit is written as far as ``viewer`` may see it (None: a local operator,
    who sees all): an entry of a case they are not in, or a protected person
    their role may not see, is written as a placeholder that names the lists
    to call, and one they may not see at all is not written."""
    rows = hits = 0
    with csv_in_out(source, target) as (fh, out):
        reader = csv.DictReader(fh)
        if not reader.fieldnames:
            raise IngestError(f"{source} is empty: expected a header row")
        writer = csv.DictWriter(out, [*reader.fieldnames, *ANSWER_COLUMNS])
        writer.writeheader()
        for chunk in _chunks(reader, MAX_BATCH):
            answers = screener.screen(
                [row_query(row) for row in chunk], context, threshold=threshold, limit=3
            )
            for row, answer in zip(chunk, answers, strict=True):
                columns = _answer_columns(answer, viewer)
                writer.writerow({**row, **columns})
                hits += columns["hit"] == "yes"
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


def _answer_columns(answer: Answer, viewer: Viewer | None) -> dict[str, str]:
    columns = dict.fromkeys(ANSWER_COLUMNS, "")
    columns["log_id"] = str(answer.log_id or "")
    if answer.error is not None:
        columns["error"] = str(answer.error)
        return columns
    assert answer.result is not None
    shown = [(hit, _sight(hit, viewer)) for hit in answer.result.hits]
    shown = [(hit, sight) for hit, sight in shown if sight is not Sight.NONE]
    columns["hit"] = "yes" if shown else "no"
    if shown:
        best, sight = shown[0]
        entry = best.entry
        columns.update(score=f"{best.score:.4f}", entry_id=entry.id, handling=entry.handling.value)
        if sight is Sight.FULL:
            columns.update(
                entry=entry.caption, lists=";".join(entry.lists), records=";".join(entry.records)
            )
        else:
            assert viewer is not None
            seen = {d for case, d in entry.sources if viewer.may_see_source(case, d)}
            columns.update(entry=PLACEHOLDER, lists=";".join(sorted(seen)))
    return columns


def _sight(hit: Hit, viewer: Viewer | None) -> Sight:
    if viewer is None:
        return Sight.FULL
    return sight_of(viewer, hit.entry.sources, hit.entry.protected)
