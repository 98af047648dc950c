"""The statistics as an XLSX workbook: a cover sheet, one sheet per table, and a
native Excel chart beside every table that has one (XlsxWriter). Sheets are named
by the tables' keys (``victims_sex_age``), the same in every language, so that a
receiver's script finds them; the titles and labels inside are translated."""

from __future__ import annotations

import io

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from nitka.reports.labels import label
from nitka.reports.sheets import Shown, heading, notices, shown
from nitka.reports.statistics import Statistics


def render_xlsx(report: Statistics, lang: str = "en") -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    cover = book.add_worksheet("report")
    cover.write(0, 0, label("title", lang), title)
    line = 2
    for name, value in heading(report, lang):
        cover.write(line, 0, name, bold)
        cover.write(line, 1, value)
        line += 1
    for notice in notices(report, lang):
        cover.write(line, 0, notice)
        line += 1
    for number, warning in enumerate(report.warnings):
        if number == 0:
            line += 1
            cover.write(line, 0, label("warnings", lang), bold)
        line += 1
        cover.write(line, 0, warning)
    cover.set_column(0, 0, 40)
    cover.set_column(1, 1, 30)
    for table in report.tables:
        view = shown(table, lang)
        sheet = book.add_worksheet(table.key[:31])
        _write(sheet, view, bold)
        if view.chart and view.rows:
            _chart(book, sheet, view)
    book.close()
    return buffer.getvalue()


def _write(sheet: Worksheet, view: Shown, bold: object) -> None:
    sheet.write(0, 0, view.title, bold)
    sheet.write_row(2, 0, view.header, bold)
    for number, row in enumerate(view.rows):
        sheet.write_row(3 + number, 0, row)
    if view.note:
        sheet.write(4 + len(view.rows), 0, view.note)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, len(view.header), 14)


def _chart(book: Workbook, sheet: Worksheet, view: Shown) -> None:
    """Categories are the rows' labels; a pie shows the last column (the total), a
    column chart every column but a total."""
    first, last = 3, 2 + len(view.rows)
    rows = [r for r in view.rows if r[0] != label("total")]
    if len(rows) < len(view.rows):
        last -= 1
    columns = list(range(1, len(view.header)))
    if view.chart == "pie":
        columns = columns[-1:]
    elif len(columns) > 1 and view.header[-1] in {
        label("total", lang) for lang in ("en", "uk", "bg")
    }:
        columns = columns[:-1]
    chart = book.add_chart({"type": view.chart or "column"})
    assert chart is not None
    for column in columns:
        chart.add_series(
            {
                "name": [sheet.name, 2, column],
                "categories": [sheet.name, first, 0, last, 0],
                "values": [sheet.name, first, column, last, column],
            }
        )
    chart.set_title({"name": view.title})
    sheet.insert_chart(3, len(view.header) + 1, chart, {"x_scale": 1.4, "y_scale": 1.2})
