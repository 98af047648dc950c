"""``nitka trips ...``: journeys from the trips projection (docs/analysis.md)."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table

from nitka.access.audit import Action
from nitka.cli.context import actor, calling, emit_json, fail, open_store, stdout
from nitka.cli.projections import add_upkeep, building
from nitka.services import travel_queries

trips_app = typer.Typer(help="Trips: who travelled where and when (docs/analysis.md).")


def register(app: typer.Typer) -> None:
    app.add_typer(trips_app, name="trips")


def _date(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: cannot read {value!r} as a date (give YYYY-MM-DD)")


@trips_app.command("list")
def list_command(
    ctx: typer.Context,
    traveller: str | None = typer.Option(None, "--person", help="A traveller's entity id."),
    origin: str | None = typer.Option(None, "--from", help="Leaving this country (IT, Italy)."),
    destination: str | None = typer.Option(None, "--to", help="Going to this country."),
    carrier: str | None = typer.Option(None, "--organiser", help="The organiser's entity id."),
    since: str | None = typer.Option(None, "--since", help="Starting from this date."),
    until: str | None = typer.Option(None, "--until", help="Starting before this date."),
    case: str | None = typer.Option(None, "--case", help="Only this case's trips."),
    limit: int = typer.Option(1000, "--limit", min=1, max=100_000, help="How many."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Trips in time order: one row per traveller, with where from and to and who
    organised it."""
    start, end = _date(since, "--since"), _date(until, "--until")
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"trips": "list"})
    with building("trips") as progress, calling(engine) as conn:
        found = travel_queries.journeys(
            conn, who, traveller=traveller, origin=origin, destination=destination,
            carrier=carrier, since=start, until=end, case=case, limit=limit, progress=progress,
        )  # fmt: skip
    rows = [journey.as_dict() for journey in found]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        stdout.print("no trip", highlight=False)
        return
    table = Table("start", "traveller", "from", "to", "organiser", "trip")
    for row in rows:
        table.add_row(row["start"][:10], row["traveller"],
                      f"{row['origin'] or ''} {row['origin_country'] or ''}".strip(),
                      f"{row['destination'] or ''} {row['destination_country'] or ''}".strip(),
                      row["carrier"] or "", row["trip"])  # fmt: skip
    stdout.print(table)


add_upkeep(trips_app, "trips", "trips")
