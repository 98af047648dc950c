"""``nitka calls ...``: call-record queries (docs/analysis.md)."""

from __future__ import annotations

import typer
from rich.table import Table

from nitka.access.audit import Action
from nitka.analysis.contacts import Contact
from nitka.cli.context import actor, calling, emit_json, open_store, stdout
from nitka.cli.projections import add_upkeep, building
from nitka.services import analysis_queries

calls_app = typer.Typer(help="Call records: common and top contacts (docs/analysis.md).")
CASE_HELP = "Only the calls of this case (one of yours)."


def register(app: typer.Typer) -> None:
    app.add_typer(calls_app, name="calls")


@calls_app.command("common")
def common_command(
    ctx: typer.Context,
    numbers: list[str] = typer.Argument(
        ..., metavar="NUMBER...", help="Two to ten numbers, as the call records write them."
    ),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Numbers in contact with every one of the given numbers, and how many calls."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"calls": "common", "numbers": numbers})
    with building("calls") as progress, calling(engine) as conn:
        found = analysis_queries.common_contacts(conn, who, numbers, case=case, progress=progress)
    _print(found, as_json, f"no number is in contact with all of {', '.join(numbers)}")


@calls_app.command("top")
def top_command(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="NUMBER", help="A number, as written."),
    limit: int = typer.Option(10, "--limit", min=1, max=1000, help="How many contacts."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The numbers with the most calls with this one."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"calls": "top", "number": number})
    with building("calls") as progress, calling(engine) as conn:
        found = analysis_queries.top_contacts(
            conn, who, number, limit=limit, case=case, progress=progress
        )
    _print(found, as_json, f"no calls with {number}")


add_upkeep(calls_app, "calls", "calls")


def _print(found: list[Contact], as_json: bool, nothing: str) -> None:
    rows = [contact.as_dict() for contact in found]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        stdout.print(nothing, highlight=False)
        return
    table = Table("number", "calls", "out", "in", "minutes", "first", "last", "with")
    for row in rows:
        table.add_row(
            row["number"],
            str(row["calls"]),
            str(row["outgoing"]),
            str(row["incoming"]),
            str(round(row["seconds"] / 60)),
            (row["first"] or "")[:16].replace("T", " "),
            (row["last"] or "")[:16].replace("T", " "),
            ", ".join(f"{n}: {c}" for n, c in row["with"].items()),
        )
    stdout.print(table)
