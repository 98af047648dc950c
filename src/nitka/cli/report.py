"""``nitka report statistics``: the periodic statistics as XLSX, PDF or CSV
(docs/reports.md); ``nitka report assessment``: a case's or a group's assessment as
PDF or XLSX (docs/assess.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from nitka.access.audit import Action
from nitka.assess import profiles
from nitka.cli.context import actor, calling, fail, open_store, settings, stdout
from nitka.reports.labels import LANGUAGES
from nitka.reports.render_assessment import render_assessment_pdf, render_assessment_xlsx
from nitka.reports.render_csv import render_csv
from nitka.reports.render_pdf import render_pdf
from nitka.reports.render_xlsx import render_xlsx
from nitka.services import assessment_report, reports

report_app = typer.Typer(
    help="Reports: the periodic statistics (docs/reports.md) and the assessment of a case "
    "or a group (docs/assess.md)."
)
RENDERERS = {"xlsx": render_xlsx, "pdf": render_pdf, "csv": render_csv}
ASSESSMENT_RENDERERS = {"pdf": render_assessment_pdf, "xlsx": render_assessment_xlsx}


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


@report_app.command("assessment")
def assessment_command(
    ctx: typer.Context,
    target: str = typer.Argument(
        ..., metavar="CASE_OR_GROUP", help="A case id (one of yours), else a group's entity id."
    ),
    form: str = typer.Option("pdf", "--format", help="pdf or xlsx."),
    out: Path = typer.Option(..., "--out", help="The file to write."),
    lang: str = typer.Option("en", "--lang", help="en, uk or bg."),
    profile: str = typer.Option(
        "sleipnir",
        "--profile",
        help=f"A group's weight profile: {', '.join(profiles.shipped_names())}, or a YAML "
        "file's path.",
    ),
) -> None:
    """A case's UNTOC and Trafficking Protocol criteria (state, computed state,
    override, evidence, why, and whether the case meets UNTOC), or a group's ratings
    with their evidence, its score explained term by term and its rank under each
    shipped profile (Kendall's tau)."""
    if form not in ASSESSMENT_RENDERERS:
        fail(f"--format: {form!r} is not one of {', '.join(ASSESSMENT_RENDERERS)}")
    if lang not in LANGUAGES:
        fail(f"--lang: {lang!r} is not one of {', '.join(LANGUAGES)}")
    engine = open_store(ctx)
    subject = {"report": "assessment", "target": target}
    who = actor(ctx, engine, Action.EXPORT, subject)
    with calling(engine) as conn:
        found = assessment_report.assessment_report(
            conn, who, target, profile=profile, output=f"{form}:{out.name}"
        )
    out.write_bytes(ASSESSMENT_RENDERERS[form](found, lang))
    stdout.print(f"wrote {out} ({form}, {lang}): the {found.kind} {target}", highlight=False)
