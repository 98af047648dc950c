"""CSV formats with several known layouts, told apart by their header row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from nitka.errors import IngestError
from nitka.ingest.base import Converter
from nitka.ingest.readers import count_lines, read_csv


class CsvLayoutConverter(Converter):
    """A converter for CSV files whose layout is recognised from the header.

    ``layouts`` maps each layout's name to the columns it requires; the first
    layout whose columns are all present is chosen and kept in ``layout``.
    """

    layouts: ClassVar[dict[str, tuple[str, ...]]]
    what: ClassVar[str]
    """What the files hold, for the error message: "CDR", "transactions"."""
    layout: str

    def count(self) -> int | None:
        lines = count_lines(self.path)
        return None if lines is None else max(lines - 1, 0)

    def records(self) -> Iterator[tuple[int, Any]]:
        rows = read_csv(self.path)
        first = next(rows, None)
        if first is None:
            return
        self.layout = self._detect(first[1])
        yield first
        yield from rows

    def _detect(self, row: dict[str, str]) -> str:
        for layout, columns in self.layouts.items():
            if all(column in row for column in columns):
                return layout
        expected = "; ".join(",".join(columns) for columns in self.layouts.values())
        raise IngestError(
            f"{self.path}: not a known {self.what} layout (header: {','.join(row)}); "
            f"expected columns {expected}"
        )
