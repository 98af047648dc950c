"""Store commands: init, show, export, stats, merge, unmerge, judgements."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from nitka.access.audit import Action, Outcome
from nitka.cli.context import (
    audited,
    emit_json,
    fail,
    login_name,
    new_engine,
    open_store,
    settings,
    stdout,
)
from nitka.model.handling import HandlingCode
from nitka.model.statement import PoliceStatement
from nitka.store.export import export as export_store
from nitka.store.migrate import upgrade
from nitka.store.reader import count_by_schema, count_handled, count_statements, get_entity
from nitka.store.resolver import ResolverError, judgements_for, merge, undo


def default_user() -> str:
    return login_name()


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("show")(show)
    app.command("export")(export)
    app.command("stats")(stats)
    app.command("merge")(merge_command)
    app.command("unmerge")(unmerge_command)
    app.command("judgements")(judgements_command)


def init(ctx: typer.Context) -> None:
    """Create the store at NITKA_DATABASE_URL, or upgrade it to the newest schema."""
    url = settings(ctx).database_url
    revision = upgrade(new_engine(ctx))
    stdout.print(f"store ready at {url} (schema revision {revision})", highlight=False)


def show(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ID", help="An entity id (or a merged one)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show an entity with every statement behind it and its provenance."""
    engine = open_store(ctx)
    with engine.begin() as conn:
        entity = get_entity(conn, entity_id)
        shown = [entity.id, *entity.members] if entity is not None else []
        audited(ctx, conn, Action.VIEW, subject={"id": entity_id}, entities=shown,
                result_size=len(entity.statements) if entity is not None else 0)  # fmt: skip
    if entity is None:
        fail(f"no entity with id {entity_id!r}")
    proxy = entity.proxy()
    if as_json:
        emit_json(
            {
                "id": entity.id,
                "schema": entity.schema.name,
                "caption": proxy.caption,
                "members": entity.members,
                "properties": proxy.properties,
                "statements": [s.to_dict() for s in entity.statements],
            }
        )
        return
    stdout.print(f"[bold]{escape(proxy.caption)}[/] ({entity.schema.name}, {entity.id})")
    if len(entity.members) > 1:
        stdout.print(f"merged from: {', '.join(entity.members)}", highlight=False)
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
    """Export the store as FtM JSON lines (entities, or statements with --statements)."""
    engine = open_store(ctx)
    what = "statements" if statements else "entities"
    with engine.begin() as conn:
        restricted = count_handled(conn, HandlingCode.H2)
        if restricted and not (permission or "").strip():
            subject = {"path": path, "refused": f"{restricted} statements under H2, no permission"}
            audited(ctx, conn, Action.EXPORT, subject=subject, outcome=Outcome.REFUSED)
    if restricted and not (permission or "").strip():
        fail(
            f"the store holds {restricted:,} statements under H2, which may not be passed on "
            "without the provider's permission: give its reference with --permission "
            "(it is recorded in the audit trail)"
        )
    with engine.begin() as conn:
        if path == "-":
            count = export_store(conn, sys.stdout.buffer, statements=statements)
            sys.stdout.flush()
        else:
            with Path(path).open("wb") as fh:
                count = export_store(conn, fh, statements=statements)
        # The whole store: no entity list (who-saw finds the export by its scope).
        subject = {"path": path, "what": what, "scope": "the whole store"}
        if permission:
            subject["permission"] = permission
        audited(ctx, conn, Action.EXPORT, subject=subject, result_size=count)
    if path == "-":
        return
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
    user: str = typer.Option(default_user(), "--user", help="Who decides (recorded)."),
) -> None:
    """Merge two entities. Statements are kept; the merge can be undone."""
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            merged = merge(conn, left, right, user, reason)
            change = {"merge": [left, right], "reason": reason, "into": merged}
            audited(ctx, conn, Action.CHANGE, subject=change, entities=[left, right, merged])
    except ResolverError as exc:
        fail(str(exc))
    typer.echo(merged)


def unmerge_command(
    ctx: typer.Context,
    judgement_id: int = typer.Argument(..., help="The id of the merge to undo (see judgements)."),
    reason: str = typer.Option(..., "--reason", help="Why the merge was wrong (recorded)."),
    user: str = typer.Option(default_user(), "--user", help="Who decides (recorded)."),
) -> None:
    """Undo a merge; the entities it joined are separate again."""
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            result = undo(conn, judgement_id, user, reason)
            change = {"unmerge": judgement_id, "reason": reason}
            audited(ctx, conn, Action.CHANGE, subject=change, entities=result)
    except ResolverError as exc:
        fail(str(exc))
    typer.echo("\n".join(result))


def judgements_command(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ID", help="An entity id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the merges and undos that concern an entity: who, when, why."""
    engine = open_store(ctx)
    with engine.connect() as conn:
        found = judgements_for(conn, entity_id)
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
