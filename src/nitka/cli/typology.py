"""``nitka typology ...``: the ready queries for the seeds' typologies (docs/analysis.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import typer
from rich.table import Table

from nitka.access.audit import Action
from nitka.analysis.typologies import benefit_cards, boat_drivers, call_centre
from nitka.analysis.typologies.found import Found
from nitka.cli.context import actor, calling, emit_json, open_store, stdout
from nitka.cli.projections import building
from nitka.services import typology_queries

typology_app = typer.Typer(
    help="Ready queries for the typologies: benefit cards, boat drivers, call centres "
    "(docs/analysis.md)."
)
CASE_HELP = "Only this case's records (one of yours) and the shared datasets'."
B, D, C = benefit_cards.Parameters(), boat_drivers.Parameters(), call_centre.Parameters()


def register(app: typer.Typer) -> None:
    app.add_typer(typology_app, name="typology")


def _help(params: type, name: str) -> str:
    return next(str(f.metadata["help"]) for f in fields(params) if f.name == name)


@typology_app.command("list")
def list_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The saved ready queries, with their parameters and defaults."""
    rows = [typology.as_dict() for typology in typology_queries.catalogue()]
    if as_json:
        emit_json(rows)
        return
    table = Table("typology", "option", "default", "meaning")
    for row in rows:
        table.add_row(row["name"], "", "", row["summary"])
        for param in row["parameters"]:
            table.add_row("", param["option"], str(param["default"]), param["help"])
    stdout.print(table)


@typology_app.command("benefit-cards")
def benefit_cards_command(
    ctx: typer.Context,
    min_travellers: int = typer.Option(B.min_travellers, "--min-travellers", min=1,
                                       help=_help(benefit_cards.Parameters, "min_travellers")),
    min_cards: int = typer.Option(B.min_cards, "--min-cards", min=1,
                                  help=_help(benefit_cards.Parameters, "min_cards")),
    within_days: int = typer.Option(B.within_days, "--within-days", min=0,
                                    help=_help(benefit_cards.Parameters, "within_days")),
    min_share: float = typer.Option(B.min_share, "--min-share", min=0.01, max=1.0,
                                    help=_help(benefit_cards.Parameters, "min_share")),
    refugee_only: bool = typer.Option(B.refugee_only, "--refugee-only",
                                      help=_help(benefit_cards.Parameters, "refugee_only")),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:  # fmt: skip
    """Organisers of trips whose travellers' cards pay into one collector, or whose
    cards the organiser holds."""
    params = benefit_cards.Parameters(min_travellers, min_cards, within_days, min_share,
                                      refugee_only)  # fmt: skip
    _run(ctx, benefit_cards.NAME, typology_queries.benefit_cards_query, params, case, as_json)


@typology_app.command("boat-drivers")
def boat_drivers_command(
    ctx: typer.Context,
    min_recruits: int = typer.Option(D.min_recruits, "--min-recruits", min=1,
                                     help=_help(boat_drivers.Parameters, "min_recruits")),
    min_age: int = typer.Option(D.min_age, "--min-age", min=0,
                                help=_help(boat_drivers.Parameters, "min_age")),
    max_age: int = typer.Option(D.max_age, "--max-age", min=0,
                                help=_help(boat_drivers.Parameters, "max_age")),
    countries: str = typer.Option(",".join(D.countries), "--countries",
                                  help=_help(boat_drivers.Parameters, "countries")),
    within_days: int = typer.Option(D.within_days, "--within-days", min=0,
                                    help=_help(boat_drivers.Parameters, "within_days")),
    pay_days: int = typer.Option(D.pay_days, "--pay-days", min=0,
                                 help=_help(boat_drivers.Parameters, "pay_days")),
    paid_only: bool = typer.Option(D.paid_only, "--paid-only",
                                   help=_help(boat_drivers.Parameters, "paid_only")),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:  # fmt: skip
    """Numbers calling young men who then travel to a departure country."""
    named = tuple(c.strip() for c in countries.split(",") if c.strip())
    params = boat_drivers.Parameters(min_recruits, min_age, max_age, named, within_days,
                                     pay_days, paid_only)  # fmt: skip
    _run(ctx, boat_drivers.NAME, typology_queries.boat_drivers_query, params, case, as_json)


@typology_app.command("call-centre")
def call_centre_command(
    ctx: typer.Context,
    min_payers: int = typer.Option(C.min_payers, "--min-payers", min=1,
                                   help=_help(call_centre.Parameters, "min_payers")),
    min_called: int = typer.Option(C.min_called, "--min-called", min=1,
                                   help=_help(call_centre.Parameters, "min_called")),
    within_days: int = typer.Option(C.within_days, "--within-days", min=0,
                                    help=_help(call_centre.Parameters, "within_days")),
    max_collectors: int = typer.Option(C.max_collectors, "--max-collectors", min=1,
                                       help=_help(call_centre.Parameters, "max_collectors")),
    max_numbers: int = typer.Option(C.max_numbers, "--max-numbers", min=1,
                                    help=_help(call_centre.Parameters, "max_numbers")),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:  # fmt: skip
    """A few numbers calling many payers of a few collector accounts."""
    params = call_centre.Parameters(min_payers, min_called, within_days, max_collectors,
                                    max_numbers)  # fmt: skip
    _run(ctx, call_centre.NAME, typology_queries.call_centre_query, params, case, as_json)


def _run(
    ctx: typer.Context, name: str, query: Callable[..., list[Found]], params: Any,
    case: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Run a ready query through its service and show the answer."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"typology": name})
    with building("projections") as progress, calling(engine) as conn:
        found = query(conn, who, params, case=case, progress=progress)
    rows = [item.as_dict() for item in found]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        stdout.print("nothing found", highlight=False)
        return
    table = Table("group", "role", "entity", "reasons")
    for row in rows:
        entity = (
            row["label"] if row["label"] == row["entity"] else f"{row['label']}\n{row['entity']}"
        )
        table.add_row(row["group"], row["role"], entity, "\n".join(row["reasons"]))
    stdout.print(table)
