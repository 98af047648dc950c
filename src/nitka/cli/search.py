"""``nitka search QUERY``: find entities by name or identifier, in any script."""

from __future__ import annotations

import typer
from rich.markup import escape

from nitka.access.audit import Action
from nitka.cli.context import actor, calling, emit_json, open_store, stdout
from nitka.search.query import SearchFilters
from nitka.services import entities


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)


def search_command(
    ctx: typer.Context,
    query: str = typer.Argument(
        ..., help="A name or identifier, in Latin, Cyrillic or any script."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="How many results."),
    schema: list[str] = typer.Option([], "--schema", help="Only this schema (repeatable)."),
    dataset: list[str] = typer.Option([], "--dataset", help="Only this dataset (repeatable)."),
    country: list[str] = typer.Option([], "--country", help="Only this country code."),
    case: list[str] = typer.Option([], "--case", help="Only this case (repeatable)."),
) -> None:
    """Search names across scripts: Oleksandr finds Олександр and Александр.

    A signed-in account (or --as in development) finds only what it may see.
    """
    engine = open_store(ctx)
    filters = SearchFilters(schema=schema, dataset=dataset, country=country, case=case)
    who = actor(ctx, engine, Action.SEARCH, {"query": query})
    with calling(engine) as conn:
        rows = [hit.as_dict() for hit in entities.find(conn, who, query, filters, limit=limit)]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        stdout.print("no results")
        return
    for row in rows:
        print_result(row["score"], row["caption"], row["schema"], row["id"], [row["matched_name"]])


def print_result(score: float, caption: str, schema: str, entity_id: str, names: list[str]) -> None:
    """One search result on two lines: score, caption, id; then the names that matched."""
    stdout.print(
        f"  {score:.2f}  [bold]{escape(caption)}[/]  [dim]({schema}, {entity_id})[/]",
        highlight=False,
    )
    shown = [n for n in names if n != caption]
    if shown:
        stdout.print(f"        matched: {escape('; '.join(shown))}", highlight=False)
