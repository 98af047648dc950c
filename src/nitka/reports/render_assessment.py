"""The assessment report as PDF (WeasyPrint, from the Jinja2 template
``assessment.html``, autoescaped like the workstation's pages) and as an XLSX
workbook (XlsxWriter): a cover sheet with the heading and the notices, then one sheet
per section, named by its key in every language; a group's score sheet carries a
native bar chart of its terms."""

from __future__ import annotations

import io

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from nitka.reports.assessment import AssessmentReport, Section, layout
from nitka.reports.render_pdf import TEMPLATES, print_html


def render_assessment_html(report: AssessmentReport, lang: str = "en") -> str:
    shown = layout(report, lang)
    return TEMPLATES.get_template("assessment.html").render(
        lang=lang,
        title=shown.title,
        heading=shown.heading,
        notices=shown.notices,
        sections=shown.sections,
    )


def render_assessment_pdf(report: AssessmentReport, lang: str = "en") -> bytes:
    return print_html(render_assessment_html(report, lang))


def _score_chart(book: Workbook, sheet: Worksheet, section: Section) -> None:
    """The score's terms as a native bar chart: each attribute's contribution beside
    the most it could give (the total row left out)."""
    first, last = 3, 3 + len(section.rows) - 2
    chart = book.add_chart({"type": "bar"})
    assert chart is not None
    for column in (4, 5):  # contribution, maximum
        chart.add_series(
            {
                "name": [sheet.name, 2, column],
                "categories": [sheet.name, first, 0, last, 0],
                "values": [sheet.name, first, column, last, column],
            }
        )
    chart.set_title({"name": section.title})
    sheet.insert_chart(len(section.rows) + 6, 0, chart, {"x_scale": 1.5, "y_scale": 1.4})


def render_assessment_xlsx(report: AssessmentReport, lang: str = "en") -> bytes:
    shown = layout(report, lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    cover = book.add_worksheet("report")
    cover.write(0, 0, shown.title, title)
    line = 2
    for name, value in shown.heading:
        cover.write(line, 0, name, bold)
        cover.write(line, 1, value)
        line += 1
    for notice in shown.notices:
        line += 1
        cover.write(line, 0, notice)
    cover.set_column(0, 0, 30)
    cover.set_column(1, 1, 60)
    for section in shown.sections:
        sheet = book.add_worksheet(section.key[:31])
        sheet.write(0, 0, section.title, bold)
        sheet.write_row(2, 0, section.header, bold)
        for number, row in enumerate(section.rows):
            sheet.write_row(3 + number, 0, row, wrap)
        for number, note in enumerate(section.notes):
            sheet.write(4 + len(section.rows) + number, 0, note)
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, len(section.header), 24)
        if section.key == "score" and len(section.rows) > 1:
            _score_chart(book, sheet, section)
    book.close()
    return buffer.getvalue()
