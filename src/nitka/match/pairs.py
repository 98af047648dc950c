"""Scoring a file of name pairs: ``name1,name2[,...]`` in, ``name1,name2,score`` out.

The format is fixed because evaluation scripts call it: a header row naming
``name1`` and ``name2`` is used when present (other columns are ignored),
otherwise the first two columns are the names and every row is a pair.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from nitka.csv_files import csv_in_out
from nitka.errors import IngestError, RecordError
from nitka.match.names import compare_names

DEFAULT_THRESHOLD = 0.7
"""A pair scoring at least this is a match."""


def read_pairs(fh: IO[str], path: str) -> Iterator[tuple[int, str, str]]:
    """``(row number, name1, name2)`` for each pair; row numbers count the header."""
    reader = csv.reader(fh)
    first = next(reader, None)
    if first is None:
        raise IngestError(f"{path} is empty: expected name1,name2 rows")
    header = [cell.strip().lower() for cell in first]
    if "name1" in header and "name2" in header:
        left, right = header.index("name1"), header.index("name2")
        rows: Iterator[list[str]] = reader
        number = 1
    else:
        left, right = 0, 1
        rows = _chain(first, reader)
        number = 0
    for row in rows:
        number += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(left, right):
            field = "name1" if len(row) <= left else "name2"
            raise RecordError(f"row has {len(row)} column(s), no {field}", field=field).located(
                path, number
            )
        yield number, row[left], row[right]


def _chain(first: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest


def score_pairs(
    source: Path,
    target: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Score every pair of ``source`` into ``target``; returns how many pairs.

    ``target`` is written to a temporary file first and renamed at the end, so
    a bad row leaves no half-written output.
    """
    count = 0
    with csv_in_out(source, target) as (fh, out):
        writer = csv.writer(out)
        writer.writerow(["name1", "name2", "score"])
        for _, name1, name2 in read_pairs(fh, str(source)):
            score = compare_names(name1, name2).score
            writer.writerow([name1, name2, f"{score:.4f}"])
            count += 1
            if progress is not None:
                progress(1)
    return count
