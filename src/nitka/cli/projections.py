"""What the analysis commands (``nitka calls``, ``nitka flows``) share: the progress
bar while a projection is built, and the upkeep commands of a projection."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nitka.access.audit import Action
from nitka.cli.context import actor, calling, emit_json, open_store, stderr, stdout
from nitka.services import analysis_queries


@contextmanager
def building(kind: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback for the projection's rebuild or catch-up, drawn on standard
    error when it is a terminal (standard output may be JSON)."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    )
    with bar:
        task = bar.add_task(f"projecting {kind}", total=None)

        def told(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield told


def add_upkeep(group: typer.Typer, kind: str, what: str) -> None:
    """``rebuild`` and ``rejects`` for one projection's command group."""

    @group.command("rebuild")
    def rebuild_command(
        ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
    ) -> None:
        engine = open_store(ctx)
        who = actor(ctx, engine, Action.CHANGE, {"rebuild": kind})
        with building(kind) as progress, calling(engine) as conn:
            outcome = analysis_queries.rebuild_projection(conn, who, kind, progress=progress)
        if as_json:
            emit_json({"kind": kind, "rows": outcome.projected, "rejected": outcome.rejected})
            return
        stdout.print(
            f"{kind}: {outcome.projected:,} rows, {outcome.rejected:,} rejected", highlight=False
        )

    rebuild_command.__doc__ = (
        f"Rebuild the {what} projection from the statements (it is kept current by "
        "itself; this is upkeep)."
    )

    @group.command("rejects")
    def rejects_command(
        ctx: typer.Context,
        case: str | None = typer.Option(None, "--case", help="Only this case's."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        engine = open_store(ctx)
        who = actor(ctx, engine, Action.SEARCH, {"rejects": kind})
        with building(kind) as progress, calling(engine) as conn:
            found = analysis_queries.projection_rejects(
                conn, who, kind, case=case, progress=progress
            )
        if as_json:
            emit_json([item.as_dict() for item in found])
            return
        if not found:
            stdout.print(f"no {what} rejected")
            return
        table = Table("record", "entity", "field", "value", "reason")
        for item in found:
            cells = (", ".join(item.records), item.entity_id, item.field, item.value, item.reason)
            table.add_row(*(escape(cell) for cell in cells))
        stdout.print(table)

    rejects_command.__doc__ = (
        f"The {what} the projection could not take in, with the field and why."
    )
