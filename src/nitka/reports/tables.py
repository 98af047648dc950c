"""A report's tables, and the suppression of small cells in what leaves the unit."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

Cell = int | str
"""A count, or after suppression the text that stands for it (``<5``)."""


@dataclass(frozen=True)
class Row:
    label: str
    """A label key (``labels.label``) or a value shown as it is (a country code)."""
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    key: str
    """The table's name, also its label key and its sheet in the workbook."""
    columns: tuple[str, ...]
    """Label keys of the columns after the first (the rows' labels)."""
    rows: tuple[Row, ...]
    chart: str | None = None
    """``column`` or ``pie``: the chart the workbook draws of the table."""
    note: str | None = None
    """A label key of a note shown under the table (how it is counted)."""
    long: bool = False
    """A table in the long form of GLOTIP's or Eurostat's data: every column is a
    dimension and the last one the value; not charted, not suppressed by row totals."""
    raw_columns: tuple[str, ...] = field(default=())
    """For long tables: the columns' names as the receiving body spells them."""

    @property
    def empty(self) -> bool:
        return not any(isinstance(c, str) or c for row in self.rows for c in _counts(self, row))

    def suppressed(self, minimum: int) -> Table:
        """Counts from 1 to ``minimum - 1`` shown as ``<minimum``; zero stays (it tells
        nobody who). In a row with a total (the last column), a row where only one
        cell was hidden also hides the next smallest, so the total cannot give it away."""
        if minimum <= 1:
            return self
        hidden = f"<{minimum}"
        rows = []
        for row in self.rows:
            cells = list(row.cells)
            counted = range(len(cells) - 1, len(cells)) if self.long else range(len(cells))
            small = [
                i for i in counted if isinstance(cells[i], int) and 0 < int(cells[i]) < minimum
            ]
            for i in small:
                cells[i] = hidden
            if not self.long and self.columns and self.columns[-1] == "total" and len(small) == 1:
                others = [
                    i
                    for i in range(len(cells) - 1)
                    if isinstance(cells[i], int) and int(cells[i]) > 0
                ]
                if others:
                    cells[min(others, key=lambda i: int(cells[i]))] = hidden
            rows.append(replace(row, cells=tuple(cells)))
        return replace(self, rows=tuple(rows))


def _counts(table: Table, row: Row) -> tuple[Cell, ...]:
    return row.cells[-1:] if table.long else row.cells
