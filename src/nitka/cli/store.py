"""Store commands: init, show, export, stats, merge, unmerge, judgements."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from nitka.access.audit import Action
from nitka.cli.context import (
    actor,
    calling,
    emit_json,
    open_store,
    settings,
    stdout,
    upgrade_store,
)
from nitka.model.statement import PoliceStatement
from nitka.services import entities, exports, resolution
from nitka.store.reader import count_by_schema, count_statements

USER_HELP = (
    "Who decides: kept for scripts, it must name who works (the signed-in account, or "
    "--as); in development mode it names who works when --as is not given."
)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("show")(show)
    app.command("export")(export)
    app.command("stats")(stats)
    app.command("merge")(merge_command)
    app.command("unmerge")(unmerge_command)
    app.command("judgements")(judgements_command)


def init(ctx: typer.Context) -> None:
    """Create the store at NITKA_DATABASE_URL, or upgrade it to the newest schema.

    Back the store up first (docs/upgrades.md). A store that a newer Nitka upgraded
    is refused and left as it is: Nitka never downgrades.
    """
    url = settings(ctx).database_url
    revision = upgrade_store(ctx)
    stdout.print(f"store ready at {url} (schema revision {revision})", highlight=False)


def show(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ID", help="An entity id (or a merged one)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show an entity with every statement behind it and its provenance.

    A signed-in account (or --as in development) sees what that account may see.
    """
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.VIEW, {"id": entity_id})
    with calling(engine) as conn:
        shown = entities.show(conn, who, entity_id)
    if as_json:
        emit_json(shown.as_dict())
        return
    entity = shown.entity
    stdout.print(f"[bold]{escape(entity.caption())}[/] ({entity.schema}, {entity.id})")
    if len(shown.members) > 1:
        stdout.print(f"merged from: {', '.join(shown.members)}", highlight=False)
    for caveat in entity.as_dict()["caveats"]:
        stdout.print(f"[yellow]{escape(caveat)}[/]", highlight=False)
    for stmt in sorted(entity.statements, key=lambda s: (s.prop, s.value, s.dataset)):
        if stmt.prop == "id":
            continue
        kind = (
            "  [italic](assessment by {})[/]".format(escape(stmt.author or "?"))
            if stmt.assessment
            else ""
        )
        stdout.print(f"[bold]{stmt.prop}[/]: {escape(stmt.value)}{kind}", highlight=False)
        stdout.print(f"    [dim]{escape(_provenance_line(stmt))}[/]", highlight=False)


def _provenance_line(stmt: PoliceStatement) -> str:
    """Where a value comes from, in one line: source, origin, grading, category, handling."""
    parts = [stmt.dataset + (f" ({stmt.origin})" if stmt.origin else "")]
    parts.append(f"graded {stmt.grading.code} (4x4 {stmt.grading.europol})")
    parts.append(stmt.category.value)
    handling = stmt.handling.value + (f": {stmt.handling_note}" if stmt.handling_note else "")
    parts.append(handling)
    if stmt.case:
        parts.append(f"case {stmt.case}")
    if stmt.first_seen:
        seen = stmt.first_seen[:10]
        if stmt.last_seen and stmt.last_seen[:10] != seen:
            seen += f" to {stmt.last_seen[:10]}"
        parts.append(f"seen {seen}")
    return " · ".join(parts)


def export(
    ctx: typer.Context,
    path: str = typer.Argument("-", help="Output file, or - for standard output."),
    statements: bool = typer.Option(
        False, "--statements", help="Write statements with all their fields, not entities."
    ),
    permission: str | None = typer.Option(
        None,
        "--permission",
        help="The provider's permission (its reference) to pass on H2 data; recorded.",
    ),
) -> None:
    """Export the store as FtM JSON lines (entities, or statements with --statements).

    A signed-in account (or --as in development) exports only what it may see.
    """
    engine = open_store(ctx)
    what = "statements" if statements else "entities"
    who = actor(ctx, engine, Action.EXPORT, {"path": path, "what": what})
    write = partial(exports.export_store, path=path, statements=statements, permission=permission)
    if path == "-":
        with calling(engine) as conn:
            write(conn, who, sys.stdout.buffer)
        sys.stdout.flush()
        return
    # Written beside the target and renamed at the end: a refused or failed export
    # leaves no file behind that looks finished.
    unfinished = Path(path).with_name(Path(path).name + ".partial")
    try:
        with calling(engine) as conn, unfinished.open("wb") as fh:
            count, _ = write(conn, who, fh)
    except BaseException:
        unfinished.unlink(missing_ok=True)
        raise
    unfinished.replace(path)
    typer.echo(f"wrote {count} {what} to {path}", err=True)


def stats(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Count entities per schema and statements in the store."""
    engine = open_store(ctx)
    with engine.connect() as conn:
        counts, total = count_by_schema(conn), count_statements(conn)
    if as_json:
        emit_json({"schemata": counts, "statements": total})
        return
    table = Table("schema", "entities")
    for schema, count in counts.items():
        table.add_row(schema, f"{count:,}")
    stdout.print(table)
    stdout.print(f"{total:,} statements")


def merge_command(
    ctx: typer.Context,
    left: str = typer.Argument(..., help="An entity id."),
    right: str = typer.Argument(..., help="Another entity id: the same person or thing."),
    reason: str = typer.Option(..., "--reason", help="Why they are the same (recorded)."),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Merge two entities. Statements are kept; the merge can be undone."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {"merge": [left, right]}, user=user)
    with calling(engine) as conn:
        merged = resolution.merge(conn, who, left, right, reason)
    typer.echo(merged)


def unmerge_command(
    ctx: typer.Context,
    judgement_id: int = typer.Argument(..., help="The id of the merge to undo (see judgements)."),
    reason: str = typer.Option(..., "--reason", help="Why the merge was wrong (recorded)."),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Undo a merge; the entities it joined are separate again."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {"unmerge": judgement_id}, user=user)
    with calling(engine) as conn:
        result = resolution.unmerge(conn, who, judgement_id, reason)
    typer.echo("\n".join(result))


def judgements_command(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ID", help="An entity id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the merges and undos that concern an entity: who, when, why."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.VIEW, {"judgements": entity_id})
    with calling(engine) as conn:
        found = resolution.judgements(conn, who, entity_id)
    rows = [
        {
            "id": j.id,
            "kind": j.kind,
            "left_id": j.left_id,
            "right_id": j.right_id,
            "undoes": j.undoes,
            "user": j.user,
            "reason": j.reason,
            "created_at": j.created_at.isoformat(),
        }
        for j in found
    ]
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "kind", "left", "right", "undoes", "user", "when", "reason")
    for row in rows:
        table.add_row(
            *(
                str(row[k] or "")
                for k in (
                    "id",
                    "kind",
                    "left_id",
                    "right_id",
                    "undoes",
                    "user",
                    "created_at",
                    "reason",
                )
            )
        )
    stdout.print(table)
