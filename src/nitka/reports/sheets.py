"""What every format shows the same way: the header lines and a table's labelled
rows, in the report's language."""

from __future__ import annotations

from dataclasses import dataclass

from nitka.reports.labels import label
from nitka.reports.statistics import Statistics
from nitka.reports.tables import Cell, Table


@dataclass(frozen=True)
class Shown:
    """A table as shown: its title, header and rows of labels and cells."""

    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    note: str | None
    chart: str | None
    long: bool


def heading(report: Statistics, lang: str) -> list[tuple[str, str]]:
    """The lines above the tables: what, when, in whose sight, how released."""
    lines = [
        (label("period", lang), report.period.label()),
        (label("generated", lang), report.generated_at),
        (label("scope", lang), report.scope if report.scope != "all" else label("scope_all", lang)),
    ]
    if report.home_country:
        lines.append((label("home_country", lang), report.home_country.upper()))
    return lines


def notices(report: Statistics, lang: str) -> list[str]:
    """The report's notices: empty, and how small cells were treated."""
    found = []
    if report.empty:
        found.append(label("empty", lang))
    if report.minimum_cell > 1:
        n = report.minimum_cell
        found.append(label("suppressed", lang).format(n=n - 1, m=n))
    else:
        found.append(label("internal", lang))
    return found


def shown(table: Table, lang: str) -> Shown:
    if table.long:
        header = list(table.raw_columns)
        rows = [[row.label, *row.cells] for row in table.rows]
    else:
        header = ["", *(label(c, lang) for c in table.columns)]
        rows = [[label(row.label, lang), *row.cells] for row in table.rows]
    return Shown(
        key=table.key,
        title=label(table.key, lang),
        header=header,
        rows=rows,
        note=label(table.note, lang) if table.note else None,
        chart=table.chart,
        long=table.long,
    )
