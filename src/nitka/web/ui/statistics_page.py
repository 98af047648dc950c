"""The statistics page: a period, the report's tables as the files show them, charts
of the main series, and links to the same report as XLSX, PDF or CSV.

Everything comes from ``nitka.services.reports``, which checks the role, counts over
what the actor may see and writes the audit record (the page's view and every
download are each one record, naming the format). The charts are drawn in the
browser by Chart.js (``frontend/src/stats.js``) from the figures the page carries
in a ``data-chart`` attribute; a suppressed cell (``<5``) is left out of a chart,
never drawn as a number.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from nitka.errors import FieldError
from nitka.reports.codes import AGE_GROUPS, SEXES
from nitka.reports.labels import label
from nitka.reports.sheets import heading, notices, shown
from nitka.reports.statistics import Statistics
from nitka.reports.tables import Row, Table
from nitka.services import reports
from nitka.services.guard import transaction
from nitka.web.deps import EngineDep, SettingsDep
from nitka.web.ui.guard import ReaderDep
from nitka.web.ui.i18n import current
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.templating import refusal, render

router = APIRouter(include_in_schema=False)
Day = Annotated[str, Query(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]
MEDIA: Final = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}
CHARTS: Final = (
    # (table, columns charted, stacked)
    ("victims_exploitation", SEXES, True),
    ("victims_sex_age", AGE_GROUPS, False),
    ("partner_countries", ("in_time_out", "late_out", "in_time_in", "late_in"), False),
)


def _period(start: str, end: str) -> tuple[str, str]:
    """The period asked for, or by default the last full calendar year."""
    if start and end:
        return start, end
    year = date.today().year - 1
    return start or f"{year}-01-01", end or f"{year}-12-31"


@router.get("/ui/statistics", response_class=HTMLResponse)
def statistics_page(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    actor: ReaderDep,
    start: Day = "",
    end: Day = "",
) -> Response:
    start, end = _period(start, end)
    try:
        with transaction(engine) as conn:
            found = reports.statistics_report(
                conn, actor, start, end, minimum_cell=settings.report_min_cell,
                output="workstation",
            )  # fmt: skip
    except FieldError as error:
        return refusal(_("Choose a period: %(reason)s") % {"reason": error.args[0]})
    lang = current()
    context: dict[str, Any] = {
        "start": start,
        "end": end,
        "heading": heading(found, lang),
        "notices": notices(found, lang),
        "tables": [shown(t, lang) for t in found.tables if not t.empty or not found.empty],
        "charts": [] if found.empty else charts_of(found, lang),
        "warnings": found.warnings,
        "formats": list(reports.RENDERERS),
    }
    return render(request, "statistics.html", context, account=actor.account)


@router.get("/ui/statistics/download")
def statistics_download(
    engine: EngineDep,
    settings: SettingsDep,
    actor: ReaderDep,
    start: Day = "",
    end: Day = "",
    form: Annotated[str, Query(alias="format", max_length=8)] = "xlsx",
) -> Response:
    """The report as a file, in the page's language (one audit record, with its format)."""
    start, end = _period(start, end)
    if form not in MEDIA:
        return refusal(_("Choose one of the formats offered."))
    try:
        with transaction(engine) as conn:
            body = reports.statistics_file(
                conn, actor, start, end, form, current(),
                minimum_cell=settings.report_min_cell, output=f"{form}:workstation",
            )  # fmt: skip
    except FieldError as error:
        return refusal(_("Choose a period: %(reason)s") % {"reason": error.args[0]})
    name = f"statistics-{start}-{end}.{form}"
    return Response(
        body,
        media_type=MEDIA[form],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def charts_of(report: Statistics, lang: str) -> list[dict[str, Any]]:
    """The charts' figures: per chart its title, the rows' labels, and one series per
    column (a suppressed cell is ``None``, a gap)."""
    found = []
    for key, columns, stacked in CHARTS:
        table = report.table(key)
        rows = [row for row in table.rows if row.label != "total"]
        if table.empty:
            continue
        found.append(
            {
                "key": key,
                "title": label(key, lang),
                "stacked": stacked,
                "data": {
                    "labels": [label(row.label, lang) for row in rows],
                    "series": [
                        {"label": label(c, lang), "values": _column(table, rows, c)}
                        for c in columns
                    ],
                },
            }
        )
    return found


def _column(table: Table, rows: list[Row], column: str) -> list[int | None]:
    at = table.columns.index(column)
    return [c if isinstance(c := row.cells[at], int) else None for row in rows]
