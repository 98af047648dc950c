"""``nitka screen`` (a file of checks) and ``nitka serve`` (the HTTP service)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from nitka.access.audit import Action
from nitka.cli.bars import data_rows, rows_bar
from nitka.cli.context import actor, calling, fail, open_store, require, settings, stderr
from nitka.errors import IngestError
from nitka.screen.checks import DEFAULT_THRESHOLD
from nitka.screen.withdrawals import WithdrawalKind
from nitka.services import lists, screening
from nitka.services.guard import CHECKERS, DeclinedError
from nitka.settings import SettingsError

LISTS_HELP = "A watch list: a dataset in the store (repeatable)."


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_command)
    app.command("serve")(serve_command)
    app.command("withdraw")(withdraw_command)
    app.command("reinstate")(reinstate_command)


def screen_command(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="CSV of checks: a passenger list, a crossing log."),
    out: Path | None = typer.Option(
        None, "--out", help="Where to write (default IN.screened.csv)."
    ),
    lists: list[str] = typer.Option(..., "--list", help=LISTS_HELP),
    purpose: str = typer.Option(..., "--purpose", help="Why the checks are made (logged)."),
    user: str | None = typer.Option(
        None, "--user", help="Who checks: kept for scripts, it must name who works (see --as)."
    ),
    threshold: float = typer.Option(DEFAULT_THRESHOLD, "--threshold", min=0.0, max=1.0),
) -> None:
    """Check every row of a CSV against the watch lists; every check is logged."""
    if not source.exists():
        fail(f"{source} does not exist")
    engine = open_store(ctx)
    asked = {"screen": str(source), "lists": lists, "purpose": purpose}
    who = require(ctx, engine, Action.CHECK, asked, roles=CHECKERS, user=user)
    target = out or source.with_name(source.stem + ".screened.csv")
    with rows_bar("screening") as bar:
        task = bar.add_task("rows", total=data_rows(source))
        try:
            checked = screening.screen_file(
                engine,
                who.for_purpose(purpose),
                source,
                target,
                lists,
                threshold=threshold,
                progress=lambda n: bar.advance(task, n),
                max_age=settings(ctx).offline_max_age,
            )
        except DeclinedError as error:
            fail(f"{error.field}: {error}")
        except IngestError as error:
            fail(str(error))
    if checked.warning is not None:
        stderr.print(f"[bold yellow]warning:[/] {escape(checked.warning)}", highlight=False)
    stderr.print(
        f"screened {checked.rows:,} rows against {', '.join(checked.lists)}: "
        f"{checked.hits:,} hits, written to {target}",
        highlight=False,
    )


def serve_command(
    ctx: typer.Context,
    lists: list[str] = typer.Option([], "--list", help=LISTS_HELP + " None: no screening."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        help="Processes that answer (one per core); they share the lists.",
    ),
) -> None:
    """Serve the API: screening, entities, sign-in, the audit trail and the exchange
    (OpenAPI at /docs).

    Liveness at /livez, readiness at /readyz, Prometheus metrics at /metrics, a JSON
    line per request on standard error (docs/operations.md)."""
    from nitka.web import multiproc

    # Before prometheus-client is imported: several workers count into shared files.
    multiproc.prepare(workers)
    from nitka.web.app import create_app
    from nitka.web.server import serve

    chosen = settings(ctx)
    try:
        chosen.check_for_serving()
    except SettingsError as error:
        fail(f"{error.setting}: {error}")
    app = create_app(open_store(ctx), lists, chosen)
    try:
        serve(app, host=host, port=port, workers=workers)
    except (OSError, RuntimeError) as error:
        fail(f"cannot serve on {host}:{port}: {error}")


def withdraw_command(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., help="The entry (its canonical id)."),
    listed: str = typer.Option(..., "--list", help="The watch list it leaves."),
    reason: str = typer.Option(..., "--reason", help="Why (a cancelled notice, ...)."),
    user: str | None = typer.Option(
        None, "--user", help="Who: kept for scripts, it must name who works (see --as)."
    ),
) -> None:
    """Withdraw an entry from a watch list; its statements stay, checks stop hitting it."""
    _record(ctx, WithdrawalKind.WITHDRAW, entity_id, listed, reason, user)


def reinstate_command(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., help="The entry (its canonical id)."),
    listed: str = typer.Option(..., "--list", help="The watch list it returns to."),
    reason: str = typer.Option(..., "--reason", help="Why."),
    user: str | None = typer.Option(
        None, "--user", help="Who: kept for scripts, it must name who works (see --as)."
    ),
) -> None:
    """Put a withdrawn entry back on its watch list."""
    _record(ctx, WithdrawalKind.REINSTATE, entity_id, listed, reason, user)


def _record(
    ctx: typer.Context,
    kind: WithdrawalKind,
    entity_id: str,
    listed: str,
    reason: str,
    user: str | None,
) -> None:
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {kind.value: entity_id, "list": listed}, user=user)
    change = lists.withdraw if kind is WithdrawalKind.WITHDRAW else lists.reinstate
    with calling(engine) as conn:
        change(conn, who, listed, entity_id, reason)
    stderr.print(
        f"{kind.value}: {entity_id} on {listed}. Running services take it in within a second.",
        highlight=False,
    )
