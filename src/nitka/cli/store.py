"""Store commands: init, show, export, stats, merge, unmerge, judgements."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import Connection

from nitka.access.audit import WHOLE_STORE, Action, Outcome
from nitka.access.reading import export_visible, iter_visible
from nitka.access.visibility import Redacted, Viewer, redact
from nitka.cli.context import (
    ReadRefusedError,
    audited,
    emit_json,
    fail,
    login_name,
    new_engine,
    open_store,
    reader,
    settings,
    stdout,
)
from nitka.model.handling import HandlingCode
from nitka.model.statement import PoliceStatement
from nitka.resolve.merges import ResolverError, judgements_for, merge, undo
from nitka.store.export import export as export_store
from nitka.store.migrate import upgrade
from nitka.store.reader import count_by_schema, count_handled, count_statements, get_entity


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
    """Show an entity with every statement behind it and its provenance.

    With --as naming an account, shows what that account may see.
    """
    engine = open_store(ctx)
    subject = {"id": entity_id}
    refused = ""
    with engine.begin() as conn:
        try:
            viewer = reader(ctx, conn, Action.VIEW, subject)
        except ReadRefusedError as error:
            refused = str(error)
        else:
            shown = _shown(conn, viewer, entity_id)
            audited(ctx, conn, Action.VIEW, subject=subject,
                    entities=[shown.id, *shown.members] if shown else [],
                    result_size=len(shown.statements) if shown else 0,
                    outcome=Outcome.DONE if shown else Outcome.REFUSED)  # fmt: skip
    if refused:
        fail(refused)
    if shown is None:
        fail(f"no entity with id {entity_id!r}")
    if as_json:
        emit_json(shown.data)
        return
    stdout.print(f"[bold]{escape(shown.caption)}[/] ({shown.schema}, {shown.id})")
    if len(shown.members) > 1:
        stdout.print(f"merged from: {', '.join(shown.members)}", highlight=False)
    for caveat in shown.data["caveats"]:
        stdout.print(f"[yellow]{escape(caveat)}[/]", highlight=False)
    for stmt in sorted(shown.statements, key=lambda s: (s.prop, s.value, s.dataset)):
        if stmt.prop == "id":
            continue
        kind = (
            "  [italic](assessment by {})[/]".format(escape(stmt.author or "?"))
            if stmt.assessment
            else ""
        )
        stdout.print(f"[bold]{stmt.prop}[/]: {escape(stmt.value)}{kind}", highlight=False)
        stdout.print(f"    [dim]{escape(_provenance_line(stmt))}[/]", highlight=False)


@dataclass(frozen=True)
class _Shown:
    id: str
    schema: str
    caption: str
    members: list[str]
    statements: list[PoliceStatement]
    data: dict[str, Any]
    """The JSON form, as ``GET /entities/{id}`` gives it (plus members)."""


def _shown(conn: Connection, viewer: Viewer | None, entity_id: str) -> _Shown | None:
    """The entity as the viewer may see it, or all of it for an operator."""
    entity = get_entity(conn, entity_id)
    if entity is None:
        return None
    redacted = redact(entity, viewer) if viewer is not None else None
    if viewer is not None and redacted is None:
        return None
    if redacted is None:
        redacted = Redacted(entity.id, entity.schema.name, entity.statements, protected=False)
    members = entity.members if viewer is None else [entity.id]
    data = {**redacted.as_dict(), "members": members}
    return _Shown(redacted.id, redacted.schema, data["caption"], members, redacted.statements, data)


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

    With --as naming an account, exports only what that account may see.
    """
    engine = open_store(ctx)
    what = "statements" if statements else "entities"
    subject: dict[str, Any] = {"path": path, "what": what}
    permitted = bool((permission or "").strip())
    if permitted:
        subject["permission"] = permission
    refused = ""
    with engine.begin() as conn:
        try:
            viewer = reader(ctx, conn, Action.EXPORT, subject)
        except ReadRefusedError as error:
            refused = str(error)
        else:
            restricted = _restricted(conn, viewer)
            if restricted and not permitted:
                refused = (
                    f"the export would hold {restricted:,} statements under H2, which may not "
                    "be passed on without the provider's permission: give its reference with "
                    "--permission (it is recorded in the audit trail)"
                )
                why = {**subject, "refused": f"{restricted} statements under H2, no permission"}
                audited(ctx, conn, Action.EXPORT, subject=why, outcome=Outcome.REFUSED)
    if refused:
        fail(refused)
    with engine.begin() as conn:
        if path == "-":
            count, ids = _export(conn, viewer, sys.stdout.buffer, statements)
            sys.stdout.flush()
        else:
            with Path(path).open("wb") as fh:
                count, ids = _export(conn, viewer, fh, statements)
        # An operator's export is the whole store: no entity list, who-saw finds
        # it by its scope. A user's export names the entities it holds.
        subject["scope"] = WHOLE_STORE if viewer is None else "what the user may see"
        audited(ctx, conn, Action.EXPORT, subject=subject, entities=ids, result_size=count)
    if path == "-":
        return
    typer.echo(f"wrote {count} {what} to {path}", err=True)


def _restricted(conn: Connection, viewer: Viewer | None) -> int:
    """How many H2 statements the export would hold."""
    if viewer is None:
        return count_handled(conn, HandlingCode.H2)
    return sum(
        1
        for shown in iter_visible(conn, viewer)
        for stmt in shown.statements
        if stmt.handling is HandlingCode.H2
    )


def _export(
    conn: Connection, viewer: Viewer | None, fh: IO[bytes], statements: bool
) -> tuple[int, list[str]]:
    if viewer is None:
        return export_store(conn, fh, statements=statements), []
    return export_visible(conn, viewer, fh, statements=statements)


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
