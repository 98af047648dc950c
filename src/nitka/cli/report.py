"""``nitka report statistics``: the periodic statistics as XLSX, PDF or CSV
(docs/reports.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from nitka.access.audit import Action
from nitka.cli.context import actor, calling, fail, open_store, settings, stdout
from nitka.reports.labels import LANGUAGES
from nitka.reports.render_csv import render_csv
from nitka.reports.render_pdf import render_pdf
from nitka.reports.render_xlsx import render_xlsx
from nitka.services import reports

report_app = typer.Typer(help="Reports: the periodic statistics (docs/reports.md).")
RENDERERS = {"xlsx": render_xlsx, "pdf": render_pdf, "csv": render_csv}


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


@report_app.command("statistics")
def statistics_command(
    ctx: typer.Context,
    start: str = typer.Option(..., "--from", help="The first day (YYYY-MM-DD)."),
    end: str = typer.Option(..., "--to", help="The last day, included (YYYY-MM-DD)."),
    form: str = typer.Option("xlsx", "--format", help="xlsx, pdf or csv."),
    out: Path = typer.Option(..., "--out", help="The file to write."),
    lang: str = typer.Option("en", "--lang", help="en, uk or bg."),
    internal: bool = typer.Option(
        False, "--internal", help="Exact figures for the unit's own use: no small-cell suppression."
    ),
) -> None:
    """Figures of a period computed from the store, over what you may see: exchange
    with partners, persons located, extraditions, reports, cases, victims, suspects
    and convictions; GLOTIP and Eurostat tables. Small cells are suppressed unless
    --internal."""
    if form not in RENDERERS:
        fail(f"--format: {form!r} is not one of {', '.join(RENDERERS)}")
    if lang not in LANGUAGES:
        fail(f"--lang: {lang!r} is not one of {', '.join(LANGUAGES)}")
    engine = open_store(ctx)
    subject = {"report": "statistics", "from": start, "to": end}
    who = actor(ctx, engine, Action.EXPORT, subject)
    with calling(engine) as conn:
        found = reports.statistics_report(
            conn, who, start, end, release=not internal,
            minimum_cell=settings(ctx).report_min_cell, output=f"{form}:{out.name}",
        )  # fmt: skip
    out.write_bytes(RENDERERS[form](found, lang))
    what = "an empty period" if found.empty else f"{len(found.tables)} tables"
    stdout.print(f"wrote {out} ({form}, {lang}): {what}", highlight=False)
