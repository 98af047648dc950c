"""Counting screened ads by indicator, language, source and ISO week, with small
cells suppressed (a count under the threshold is shown as ``<10``, never as a
number: small counts can single out a person or a case)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

SUPPRESS_BELOW = 10
"""Counts under this are not shown."""


class Dimension(StrEnum):
    INDICATOR = "indicator"
    LANG = "lang"
    SOURCE = "source"
    WEEK = "week"


@dataclass(frozen=True)
class Cell:
    key: tuple[str, ...]
    count: int | None
    """None when suppressed (under the threshold)."""

    def shown(self, threshold: int = SUPPRESS_BELOW) -> str:
        return f"<{threshold}" if self.count is None else str(self.count)


def count(
    rows: Iterable[dict[str, str | None]],
    by: Sequence[Dimension],
    *,
    threshold: int = SUPPRESS_BELOW,
) -> list[Cell]:
    """Cells of ads counted by the dimensions; an ad with several indicators counts
    once under each (with none, under ``none``). Sorted by key."""
    counts: Counter[tuple[str, ...]] = Counter()
    for row in rows:
        keys: list[tuple[str, ...]] = [()]
        for dimension in by:
            if dimension is Dimension.INDICATOR:
                values = [c for c in (row.get("indicators") or "").split(";") if c] or ["none"]
            else:
                values = [row.get(str(dimension)) or "unknown"]
            keys = [(*key, value) for key in keys for value in values]
        counts.update(keys)
    return [Cell(key, n if n >= threshold else None) for key, n in sorted(counts.items())]
