"""``nitka audit``: verify the audit trail and answer an auditor's questions."""

from __future__ import annotations

import typer
from rich.markup import escape

from nitka.access.audit import Action, AuditRecord
from nitka.cli.context import actor, calling, emit_json, fail, open_store, stdout
from nitka.services import audit_trail

audit_app = typer.Typer(
    help="The audit trail: verify its hash chain, who saw an entity, what a user did.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Walk the hash chain; name the first record that was changed, removed or slipped in."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.VIEW, {"audit": "verify"})
    with calling(engine) as conn:
        found = audit_trail.verify_trail(conn, who)
    if as_json:
        emit_json(
            {
                "intact": found.intact,
                "records": found.records,
                "head_hash": found.head_hash,
                "broken_at": found.broken_at,
                "problems": found.problems,
            }
        )
    elif found.intact:
        stdout.print(
            f"the audit trail is intact: {found.records:,} records, last hash {found.head_hash}",
            highlight=False,
        )
    if not found.intact:
        if not as_json:
            fail(f"the audit trail is broken at record {found.broken_at}: {found.problems[0]}", 2)
        raise typer.Exit(2)


@audit_app.command("who-saw")
def who_saw_command(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ENTITY_ID", help="An entity id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Every search, view, check, export and change about this entity or one merged with it."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.VIEW, {"audit": "who-saw", "entity": entity_id})
    with calling(engine) as conn:
        records = audit_trail.entity_history(conn, who, entity_id)
    _show(records, as_json, f"no audit record names {entity_id}")


@audit_app.command("by-user")
def by_user_command(
    ctx: typer.Context,
    user: str = typer.Argument(..., metavar="USER", help="A user or system name."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Everything one user (or system) did, oldest first."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.VIEW, {"audit": "by-user", "user": user})
    with calling(engine) as conn:
        records = audit_trail.user_history(conn, who, user)
    _show(records, as_json, f"no audit record of {user}")


def _show(records: list[AuditRecord], as_json: bool, empty: str) -> None:
    if as_json:
        emit_json([record.as_dict() for record in records])
        return
    if not records:
        stdout.print(empty, highlight=False)
        return
    for r in records:
        purpose = f" for {r.purpose!r}" if r.purpose else " (no purpose given)"
        stdout.print(
            f"{r.id:>6}  {r.at[:19]}  [bold]{escape(r.actor)}[/] {r.action} "
            f"({r.outcome}, {r.result_size} results) from {escape(r.origin)}{escape(purpose)}",
            highlight=False,
        )
        stdout.print(f"        {escape(r.subject)}", highlight=False)
