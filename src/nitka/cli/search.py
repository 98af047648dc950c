"""``nitka search QUERY``: find entities by name or identifier, in any script."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import typer
from rich.markup import escape
from sqlalchemy.engine import Connection

from nitka.access.audit import Action
from nitka.access.reading import visible_search
from nitka.access.visibility import Viewer
from nitka.cli.context import RefusedError, audited, emit_json, fail, open_store, reader, stdout
from nitka.search.query import SearchFilters, search
from nitka.store.reader import get_entities


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

    With --as naming an account, finds only what that account may see.
    """
    engine = open_store(ctx)
    filters = SearchFilters(schema=schema, dataset=dataset, country=country, case=case)
    subject = {"query": query, "filters": asdict(filters), "limit": limit}
    refused = ""
    with engine.begin() as conn:
        try:
            viewer = reader(ctx, conn, Action.SEARCH, subject)
        except RefusedError as error:
            refused = str(error)
        else:
            rows = _rows(conn, viewer, query, filters, limit)
            found = [row["id"] for row in rows]
            audited(
                ctx, conn, Action.SEARCH, subject=subject, entities=found, result_size=len(found)
            )
    if refused:
        fail(refused)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        stdout.print("no results")
        return
    for row in rows:
        print_result(row["score"], row["caption"], row["schema"], row["id"], [row["matched_name"]])


def _rows(
    conn: Connection, viewer: Viewer | None, query: str, filters: SearchFilters, limit: int
) -> list[dict[str, Any]]:
    """The results as JSON-ready rows, as the viewer may see them (all for an operator)."""
    if viewer is not None:
        return [
            {
                "id": found.entity.id,
                "schema": found.entity.schema,
                "caption": found.entity.caption(),
                "score": found.result.score,
                "matched_name": found.result.name,
                "matched": found.result.matched,
                "datasets": sorted({s.dataset for s in found.entity.statements}),
                "protected": found.entity.protected,
            }
            for found in visible_search(conn, viewer, query, filters, limit=limit)
        ]
    results = search(conn, query, filters, limit=limit)
    entities = get_entities(conn, [r.id for r in results])
    rows = []
    for result in results:
        entity = entities.get(result.id)
        rows.append(
            {
                "id": result.id,
                "schema": result.schema,
                "caption": entity.caption if entity else result.name,
                "score": result.score,
                "matched_name": result.name,
                "matched": result.matched,
                "datasets": entity.datasets if entity else [],
                "protected": False,
            }
        )
    return rows


def print_result(score: float, caption: str, schema: str, entity_id: str, names: list[str]) -> None:
    """One search result on two lines: score, caption, id; then the names that matched."""
    stdout.print(
        f"  {score:.2f}  [bold]{escape(caption)}[/]  [dim]({schema}, {entity_id})[/]",
        highlight=False,
    )
    shown = [n for n in names if n != caption]
    if shown:
        stdout.print(f"        matched: {escape('; '.join(shown))}", highlight=False)
