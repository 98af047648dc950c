"""Progress bars of commands that work through a file's rows, on standard error."""

from __future__ import annotations

from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from nitka.cli.context import stderr


def data_rows(source: Path) -> int | None:
    """A CSV's rows after its header, as a bar's total (None: none, an open bar)."""
    with source.open("rb") as fh:
        return max(sum(1 for _ in fh) - 1, 0) or None


def rows_bar(label: str = "{task.description}") -> Progress:
    """A bar of rows done out of the total, gone from the terminal when the work ends."""
    return Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), console=stderr, transient=True
    )
