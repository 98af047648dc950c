"""The statistics as CSV: the header lines, then each table under its title,
separated by an empty line (a spreadsheet opens it as it is)."""

from __future__ import annotations

import csv
import io

from nitka.reports.labels import label
from nitka.reports.sheets import heading, notices, shown
from nitka.reports.statistics import Statistics


def render_csv(report: Statistics, lang: str = "en") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([label("title", lang)])
    for name, value in heading(report, lang):
        writer.writerow([name, value])
    for notice in notices(report, lang):
        writer.writerow([notice])
    for table in report.tables:
        view = shown(table, lang)
        writer.writerow([])
        writer.writerow([view.title])
        writer.writerow(view.header)
        writer.writerows(view.rows)
        if view.note:
            writer.writerow([view.note])
    if report.warnings:
        writer.writerow([])
        writer.writerow([label("warnings", lang)])
        writer.writerows([w] for w in report.warnings)
    return out.getvalue().encode("utf-8-sig")
