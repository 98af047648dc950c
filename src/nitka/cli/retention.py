"""``nitka retention due``, ``nitka erase`` and ``nitka subject-report``: data subjects' rights."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import typer
from rich.markup import escape
from rich.table import Table

from nitka.access.audit import Action
from nitka.access.retention import RetentionError, due_for_review, erase, subject_report
from nitka.cli.context import audited, emit_json, fail, open_store, require, settings, stdout
from nitka.cli.rules import DATA_PROTECTION

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
    require(ctx, engine, Action.SEARCH, {"retention": "due"}, roles=DATA_PROTECTION)
    with engine.begin() as conn:
        due = due_for_review(conn, periods=settings(ctx).review_days)
        found = sorted({item.entity_id for item in due})
        audited(ctx, conn, Action.SEARCH, subject={"retention": "due"}, entities=found,
                result_size=len(due))  # fmt: skip
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
    asked = {"erase": entity_id, "reason": reason}
    require(ctx, engine, Action.ERASURE, asked, roles=DATA_PROTECTION)
    try:
        with engine.begin() as conn:
            canonical_id, count = erase(conn, entity_id)
            tombstone = {"erased": canonical_id, "statements": count, "reason": reason}
            audited(ctx, conn, Action.ERASURE, subject=tombstone, entities=[canonical_id],
                    result_size=count)  # fmt: skip
    except RetentionError as error:
        fail(f"{error.field}: {error}")
    stdout.print(f"erased {count} statements of {escape(canonical_id)}", highlight=False)


def subject_report_command(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ENTITY_ID", help="The data subject."),
    out: str = typer.Option("-", "--out", help="Where to write the JSON report (- for stdout)."),
) -> None:
    """Everything held on a person, with sources and who saw it: for an access request
    (a supervisor)."""
    engine = open_store(ctx)
    asked = {"subject access request": entity_id, "out": out}
    require(ctx, engine, Action.DISCLOSURE, asked, roles=DATA_PROTECTION)
    try:
        with engine.begin() as conn:
            report = subject_report(conn, entity_id)
            subject = {"subject access request": entity_id, "out": out}
            audited(ctx, conn, Action.DISCLOSURE, subject=subject, entities=[report["id"]],
                    result_size=len(report["statements"]))  # fmt: skip
    except RetentionError as error:
        fail(f"{error.field}: {error}")
    data = orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(out).write_bytes(data)
        typer.echo(f"wrote the report on {report['id']} to {out}", err=True)
