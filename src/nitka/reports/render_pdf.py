"""The statistics as PDF: HTML from a Jinja2 template (autoescaped, like the
workstation's pages), printed by WeasyPrint."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from nitka.reports.labels import label
from nitka.reports.sheets import heading, notices, shown
from nitka.reports.statistics import Statistics

_ENV = Environment(
    loader=PackageLoader("nitka.reports", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(report: Statistics, lang: str = "en") -> str:
    template = _ENV.get_template("statistics.html")
    return template.render(
        lang=lang,
        title=label("title", lang),
        heading=heading(report, lang),
        notices=notices(report, lang),
        tables=[shown(t, lang) for t in report.tables if not t.empty or not report.empty],
        warnings=report.warnings,
        warnings_title=label("warnings", lang),
        empty=report.empty,
    )


def render_pdf(report: Statistics, lang: str = "en") -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    pdf: bytes = HTML(string=render_html(report, lang)).write_pdf()
    return pdf
