"""``nitka retention due``, ``nitka erase`` and ``nitka subject-report``: data subjects' rights."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import typer
from rich.markup import escape
from rich.table import Table

from nitka.access.audit import Action
from nitka.cli.context import actor, calling, emit_json, fail, open_store, settings, stdout
from nitka.services import retention

retention_app = typer.Typer(help="Review periods per data-subject category.")


def register(app: typer.Typer) -> None:
    app.add_typer(retention_app, name="retention")
    app.command("erase")(erase_command)
    app.command("subject-report")(subject_report_command)


@retention_app.command("due")
def due_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Entities with statements kept past their category's review period (a supervisor)."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"retention": "due"})
    with calling(engine) as conn:
        due = retention.due(conn, who, settings(ctx).review_days)
    if as_json:
        emit_json([item.__dict__ for item in due])
        return
    if not due:
        stdout.print("nothing is due for review")
        return
    table = Table("entity", "category", "statements", "last seen", "review after")
    for item in due:
        table.add_row(item.entity_id, item.category, str(item.statements), item.last_seen[:10],
                      f"{item.review_days} days")  # fmt: skip
    stdout.print(table)


def erase_command(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ENTITY_ID", help="The entity to erase."),
    reason: str = typer.Option(..., "--reason", help="The legal ground (recorded)."),
) -> None:
    """Erase every statement held on an entity (a supervisor); the audit trail keeps a
    tombstone."""
    if not reason.strip():
        fail("--reason: an erasure needs its legal ground")
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.ERASURE, {"erase": entity_id})
    with calling(engine) as conn:
        canonical_id, count = retention.erase(conn, who, entity_id, reason)
    stdout.print(f"erased {count} statements of {escape(canonical_id)}", highlight=False)


def subject_report_command(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ENTITY_ID", help="The data subject."),
    out: str = typer.Option("-", "--out", help="Where to write the JSON report (- for stdout)."),
) -> None:
    """Everything held on a person, with sources and who saw it: for an access request
    (a supervisor)."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.DISCLOSURE, {"subject access request": entity_id})
    with calling(engine) as conn:
        report = retention.subject_report(conn, who, entity_id, out)
    data = orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(out).write_bytes(data)
        typer.echo(f"wrote the report on {report['id']} to {out}", err=True)
