"""A CSV file read in and a CSV file written out whole or not at all.

Commands that turn one CSV into another (``nitka match pairs``, ``nitka
screen``) write to ``OUT.partial`` and rename it at the end: a bad row or an
interruption leaves no half-written output that looks finished.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from nitka.errors import IngestError


@contextmanager
def csv_in_out(source: Path, target: Path) -> Iterator[tuple[IO[str], IO[str]]]:
    """Open ``source`` (UTF-8, a BOM allowed) and a partial ``target``; publish it on success."""
    partial = target.with_name(target.name + ".partial")
    try:
        with (
            source.open(encoding="utf-8-sig", newline="") as fh,
            partial.open("w", encoding="utf-8", newline="") as out,
        ):
            yield fh, out
    except UnicodeDecodeError as exc:
        partial.unlink(missing_ok=True)
        raise IngestError(f"{source} is not UTF-8 text ({exc.reason})") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
