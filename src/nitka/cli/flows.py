"""``nitka flows ...``: money-flow queries (docs/analysis.md)."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from nitka.access.audit import Action
from nitka.analysis.flows import MAX_CYCLE_LENGTH
from nitka.cli.context import actor, calling, emit_json, open_store, stdout
from nitka.cli.projections import add_upkeep, building
from nitka.services import analysis_queries

flows_app = typer.Typer(help="Money flows: fan-in and cycles (docs/analysis.md).")
CASE_HELP = "Only the payments of this case (one of yours)."


def register(app: typer.Typer) -> None:
    app.add_typer(flows_app, name="flows")


@flows_app.command("fan-in")
def fan_in_command(
    ctx: typer.Context,
    min_sources: int = typer.Option(
        3, "--min-sources", min=2, help="Different accounts paying in, at least."
    ),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many collectors."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Accounts (collectors) paid by many different accounts (sources), most first."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"flows": "fan-in"})
    with building("payments") as progress, calling(engine) as conn:
        found = analysis_queries.fan_in(
            conn, who, min_sources=min_sources, limit=limit, case=case, progress=progress
        )
    rows = [item.as_dict() for item in found]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        stdout.print(f"no account is paid by {min_sources} or more accounts")
        return
    table = Table("collector", "sources", "payments", "amounts", "first", "last", "paid by")
    for row in rows:
        table.add_row(
            row["collector"],
            str(row["source_count"]),
            *_flow(row),
            ", ".join(row["sources"][:8]) + (" ..." if len(row["sources"]) > 8 else ""),
        )
    stdout.print(table)


@flows_app.command("cycles")
def cycles_command(
    ctx: typer.Context,
    max_length: int = typer.Option(
        6, "--max-length", min=2, max=MAX_CYCLE_LENGTH, help="Accounts in a cycle, at most."
    ),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many cycles."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Money going round: accounts A → B → ... → A, the shortest cycles first."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"flows": "cycles"})
    with building("payments") as progress, calling(engine) as conn:
        found = analysis_queries.cycles(
            conn, who, max_length=max_length, limit=limit, case=case, progress=progress
        )
    rows = [item.as_dict() for item in found]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        stdout.print(f"no cycle of {max_length} accounts or fewer")
        return
    table = Table("accounts", "length", "payments", "amounts", "first", "last")
    for row in rows:
        table.add_row(" → ".join(row["accounts"]), str(row["length"]), *_flow(row))
    stdout.print(table)


add_upkeep(flows_app, "payments", "payments")


def _flow(row: dict[str, Any]) -> list[str]:
    amounts = ", ".join(f"{a:,.2f} {c}" for c, a in row["amounts"].items())
    first, last = ((row[k] or "")[:10] for k in ("first", "last"))
    return [str(row["payments"]), amounts, first, last]
