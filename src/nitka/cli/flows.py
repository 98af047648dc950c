"""``nitka flows ...``: money-flow queries (docs/analysis.md)."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from nitka.access.audit import Action
from nitka.analysis.flows import MAX_CYCLE_LENGTH
from nitka.analysis.layering import MAX_LAYERS
from nitka.cli.context import actor, calling, emit_json, open_store, stdout
from nitka.cli.projections import add_upkeep, building
from nitka.services import analysis_queries

flows_app = typer.Typer(
    help="Money flows: fan-in, fan-out, cycles, layering shapes, amounts below a threshold, "
    "flows between two parties (docs/analysis.md)."
)
CASE_HELP = "Only the payments of this case (one of yours)."
WITHIN_HELP = "Within this many days of each other (default: any time)."


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


@flows_app.command("fan-out")
def fan_out_command(
    ctx: typer.Context,
    min_targets: int = typer.Option(
        3, "--min-targets", min=2, help="Different accounts paid, at least."
    ),
    within: int | None = typer.Option(None, "--within", min=0, help=WITHIN_HELP),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many sources."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Accounts (sources) paying many different accounts (targets), most first."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"flows": "fan-out"})
    with building("payments") as progress, calling(engine) as conn:
        found = analysis_queries.fan_out(conn, who, min_targets=min_targets, within=within,
                                         limit=limit, case=case, progress=progress)  # fmt: skip
    rows = [item.as_dict() for item in found]
    if _printed_json(rows, as_json, f"no account pays {min_targets} or more accounts"):
        return
    table = Table("source", "targets", "payments", "amounts", "first", "last", "pays")
    for row in rows:
        table.add_row(row["source"], str(row["target_count"]), *_flow(row), _few(row["targets"]))
    stdout.print(table)


@flows_app.command("scatter-gather")
def scatter_gather_command(
    ctx: typer.Context,
    min_middle: int = typer.Option(
        3, "--min-middle", min=2, help="Accounts in the middle, at least."
    ),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many shapes."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """A source paying several accounts that all pay one collector on, widest first."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"flows": "scatter-gather"})
    with building("payments") as progress, calling(engine) as conn:
        found = analysis_queries.scatter_gather(
            conn, who, min_middle=min_middle, limit=limit, case=case, progress=progress
        )
    rows = [item.as_dict() for item in found]
    if _printed_json(rows, as_json, f"no scatter-gather through {min_middle} or more accounts"):
        return
    table = Table("source", "middle", "collector", "payments", "amounts", "first", "last")
    for row in rows:
        table.add_row(row["source"], _few(row["middle"]), row["collector"], *_flow(row))
    stdout.print(table)


@flows_app.command("gather-scatter")
def gather_scatter_command(
    ctx: typer.Context,
    min_sources: int = typer.Option(
        3, "--min-sources", min=2, help="Accounts paying the hub, at least."
    ),
    min_targets: int = typer.Option(
        3, "--min-targets", min=2, help="Accounts the hub pays on, at least."
    ),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many hubs."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Many accounts paying one (the hub), who pays many on: the most accounts first."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"flows": "gather-scatter"})
    with building("payments") as progress, calling(engine) as conn:
        found = analysis_queries.gather_scatter(conn, who, min_sources=min_sources,
                                                min_targets=min_targets, limit=limit,
                                                case=case, progress=progress)  # fmt: skip
    rows = [item.as_dict() for item in found]
    if _printed_json(rows, as_json, "no account gathers and scatters that many"):
        return
    table = Table("hub", "sources", "targets", "payments", "amounts", "first", "last")
    for row in rows:
        table.add_row(row["hub"], _few(row["sources"]), _few(row["targets"]), *_flow(row))
    stdout.print(table)


@flows_app.command("bipartite")
def bipartite_command(
    ctx: typer.Context,
    min_payers: int = typer.Option(2, "--min-payers", min=2, help="Payers, at least."),
    min_payees: int = typer.Option(2, "--min-payees", min=2, help="Payees, at least."),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many sets."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """A set of payers each paying every one of a set of payees, largest first."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"flows": "bipartite"})
    with building("payments") as progress, calling(engine) as conn:
        found = analysis_queries.bipartite(conn, who, min_payers=min_payers,
                                           min_payees=min_payees, limit=limit, case=case,
                                           progress=progress)  # fmt: skip
    rows = [item.as_dict() for item in found]
    if _printed_json(rows, as_json, "no set of payers all paying a set of payees"):
        return
    table = Table("payers", "payees", "payments", "amounts", "first", "last")
    for row in rows:
        table.add_row(_few(row["payers"]), _few(row["payees"]), *_flow(row))
    stdout.print(table)


@flows_app.command("stacked")
def stacked_command(
    ctx: typer.Context,
    min_width: int = typer.Option(2, "--min-width", min=2, help="Accounts in a layer, at least."),
    min_layers: int = typer.Option(
        3, "--min-layers", min=3, max=MAX_LAYERS, help="Layers of accounts, at least."
    ),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many stacks."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Layers of accounts, each paying every account of the next: deepest first."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"flows": "stacked"})
    with building("payments") as progress, calling(engine) as conn:
        found = analysis_queries.stacked(conn, who, min_width=min_width, min_layers=min_layers,
                                         limit=limit, case=case, progress=progress)  # fmt: skip
    rows = [item.as_dict() for item in found]
    if _printed_json(rows, as_json, f"no stack of {min_layers} layers or more"):
        return
    table = Table("layers", "payments", "amounts", "first", "last")
    for row in rows:
        table.add_row(" → ".join(_few(layer) for layer in row["layers"]), *_flow(row))
    stdout.print(table)


@flows_app.command("below-threshold")
def below_threshold_command(
    ctx: typer.Context,
    threshold: str = typer.Option(
        ..., "--threshold", help="The reporting threshold (an amount: 10000)."
    ),
    margin: str = typer.Option(
        "0.1", "--margin", help="How far below it, as a share of it (0.1: from 90%)."
    ),
    currency: str | None = typer.Option(
        None, "--currency", help="Only payments in this currency (ISO 4217: EUR)."
    ),
    min_payments: int = typer.Option(
        2, "--min-payments", min=1, help="Such payments from one payer to one payee, at least."
    ),
    within: int | None = typer.Option(None, "--within", min=0, help=WITHIN_HELP),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many pairs."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Payments just below a reporting threshold, by payer and payee: structuring."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"flows": "below-threshold"})
    with building("payments") as progress, calling(engine) as conn:
        found = analysis_queries.below_threshold(
            conn, who, threshold=threshold, margin=margin, currency=currency,
            min_payments=min_payments, within=within, limit=limit, case=case,
            progress=progress,
        )  # fmt: skip
    rows = [item.as_dict() for item in found]
    if _printed_json(rows, as_json, f"no {min_payments} or more payments just below {threshold}"):
        return
    table = Table("payer", "payee", "payments", "amounts", "first", "last", "largest")
    for row in rows:
        table.add_row(row["payer"], row["payee"], *_flow(row), f"{row['largest']:,.2f}")
    stdout.print(table)


@flows_app.command("between")
def between_command(
    ctx: typer.Context,
    a: str = typer.Argument(..., help="One account (as written)."),
    b: str = typer.Argument(..., help="The other account."),
    by: str = typer.Option("month", "--by", help="Per day, week (ISO) or month."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The payments between two accounts, both ways, per day, week or month."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"flows": "between"})
    with building("payments") as progress, calling(engine) as conn:
        found = analysis_queries.between(conn, who, a, b, by=by, case=case, progress=progress)
    rows = [item.as_dict() for item in found]
    if _printed_json(rows, as_json, f"no payments between {a} and {b}"):
        return
    table = Table("period", "A → B", "amounts", "B → A", "amounts")
    for row in rows:
        table.add_row(row["period"], *_way(row["a_to_b"]), *_way(row["b_to_a"]))
    stdout.print(table)


add_upkeep(flows_app, "payments", "payments")


def _printed_json(rows: list[dict[str, Any]], as_json: bool, none: str) -> bool:
    """Print the rows as JSON, or say there are none; whether the command is done."""
    if as_json:
        emit_json(rows)
        return True
    if not rows:
        stdout.print(none)
        return True
    return False


def _few(accounts: list[str], shown: int = 8) -> str:
    return ", ".join(accounts[:shown]) + (" ..." if len(accounts) > shown else "")


def _way(way: dict[str, Any]) -> list[str]:
    amounts = ", ".join(f"{a:,.2f} {c}" for c, a in way["amounts"].items())
    return [str(way["payments"]), amounts]


def _flow(row: dict[str, Any]) -> list[str]:
    amounts = ", ".join(f"{a:,.2f} {c}" for c, a in row["amounts"].items())
    first, last = ((row[k] or "")[:10] for k in ("first", "last"))
    return [str(row["payments"]), amounts, first, last]
