"""The statistics as PDF: HTML from a Jinja2 template (autoescaped, like the
workstation's pages), printed by WeasyPrint."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from nitka.reports.labels import label
from nitka.reports.sheets import heading, notices, shown
from nitka.reports.statistics import Statistics

TEMPLATES = Environment(
    loader=PackageLoader("nitka.reports", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
"""The reports' templates (``reports/templates``), shared by every PDF report."""


def render_html(report: Statistics, lang: str = "en") -> str:
    template = TEMPLATES.get_template("statistics.html")
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
    return print_html(render_html(report, lang))


def print_html(html: str) -> bytes:
    """The HTML printed as PDF by WeasyPrint."""
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
