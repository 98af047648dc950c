"""``nitka network ...``: communities, brokers, key players and paths in time order over
call records, payments, trips or the statements' relations (docs/analysis.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta
from typing import Any

import typer
from rich.table import Table

from nitka.access.audit import Action
from nitka.analysis.network import ON, On
from nitka.cli.context import actor, calling, emit_json, fail, open_store, stdout
from nitka.cli.projections import building
from nitka.services import network_queries
from nitka.services.network_queries import Drawn

network_app = typer.Typer(
    help="Networks of calls, payments, trips or the statements' relations: communities "
    "(Leiden), brokers, key players, paths in time order (docs/analysis.md).",
    no_args_is_help=True,
)
ON_HELP = (
    "calls (numbers), payments (accounts), trips (travellers and organisers) or statements "
    "(entities joined by relations: ownership, family, associates, holders, ...)."
)
CASE_HELP = "Only the records of this case (one of yours)."
SINCE_HELP = "Only records from this date (YYYY-MM-DD)."
UNTIL_HELP = "Only records before this date (YYYY-MM-DD)."


def register(app: typer.Typer) -> None:
    app.add_typer(network_app, name="network")


def _on(value: str) -> On:
    for kind in ON:
        if value == kind:
            return kind
    fail(f"--on is calls, payments, trips or statements, not {value!r}")


@contextmanager
def _progress(on: On) -> Iterator[Callable[[int, int], None] | None]:
    """The projection's progress bar; none for the statements, which have no projection."""
    with building(on) if on != "statements" else nullcontext(None) as progress:
        yield progress


def _date(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: cannot read {value!r} as a date (give YYYY-MM-DD)")


def _drawn(on: str, case: str | None, since: str | None, until: str | None) -> Drawn:
    return Drawn(_on(on), case, _date(since, "--since"), _date(until, "--until"))


@network_app.command("communities")
def communities_command(
    ctx: typer.Context,
    on: str = typer.Option("calls", "--on", help=ON_HELP),
    resolution: float = typer.Option(
        1.0, "--resolution", min=0.001, help="Higher finds smaller, tighter groups."
    ),
    min_size: int = typer.Option(3, "--min-size", min=2, help="Parties in a group, at least."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    since: str | None = typer.Option(None, "--since", help=SINCE_HELP),
    until: str | None = typer.Option(None, "--until", help=UNTIL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Groups of numbers, accounts, travellers or entities tied more to each other than
    to the rest (Leiden communities), the largest first."""
    drawn = _drawn(on, case, since, until)
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, drawn.subject("communities"))
    with _progress(drawn.on) as progress, calling(engine) as conn:
        found = network_queries.communities(conn, who, drawn, resolution=resolution,
                                            min_size=min_size, progress=progress)  # fmt: skip
    rows = [group.as_dict() for group in found]
    _print(rows, as_json, ("size", "ties", "members"), "no group of that size")


RANKINGS: dict[str, tuple[Callable[..., Sequence[Any]], tuple[str, ...], str]] = {
    "brokers": (network_queries.brokers, ("party", "betweenness", "contacts"),
                "no party is between others"),
    "key-players": (network_queries.key_players, ("party", "cut_off", "contacts"),
                    "no party holds others to the rest"),
}  # fmt: skip


def _ranking(name: str) -> Callable[..., None]:
    rank, columns, nothing = RANKINGS[name]

    def command(
        ctx: typer.Context,
        on: str = typer.Option("calls", "--on", help=ON_HELP),
        limit: int = typer.Option(10, "--limit", min=1, max=10_000, help="How many."),
        case: str | None = typer.Option(None, "--case", help=CASE_HELP),
        since: str | None = typer.Option(None, "--since", help=SINCE_HELP),
        until: str | None = typer.Option(None, "--until", help=UNTIL_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        drawn = _drawn(on, case, since, until)
        engine = open_store(ctx)
        who = actor(ctx, engine, Action.SEARCH, drawn.subject(name))
        with _progress(drawn.on) as progress, calling(engine) as conn:
            found = rank(conn, who, drawn, limit=limit, progress=progress)
        _print([item.as_dict() for item in found], as_json, columns, nothing)

    return command


network_app.command(
    "brokers", help="The go-betweens: the parties most shortest paths between others run through."
)(_ranking("brokers"))
network_app.command(
    "key-players", help="The parties whose removal cuts the most others off from the rest."
)(_ranking("key-players"))


@network_app.command("path")
def path_command(
    ctx: typer.Context,
    source: str = typer.Argument(..., metavar="FROM", help="A number or account."),
    target: str = typer.Argument(..., metavar="TO", help="A number or account."),
    on: str = typer.Option("calls", "--on", help="calls (numbers) or payments (accounts)."),
    within_hours: float = typer.Option(
        168.0, "--within-hours", min=0.01, help="Each step at most this long after the one before."
    ),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    since: str | None = typer.Option(None, "--since", help=SINCE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The earliest chain of calls or payments from FROM to TO in time order: each step
    starts no earlier than the one before, and within the window after it."""
    drawn = _drawn(on, case, since, None)
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, drawn.subject("path"))
    with _progress(drawn.on) as progress, calling(engine) as conn:
        found = network_queries.time_path(conn, who, drawn, source, target,
                                          within=timedelta(hours=within_hours),
                                          progress=progress)  # fmt: skip
    if as_json:
        emit_json(found.as_dict() if found else None)
        return
    if found is None:
        stdout.print(f"no chain in time order from {source} to {target}", highlight=False)
        return
    table = Table("step", "from", "to", "start", "id")
    for number, step in enumerate(found.steps, start=1):
        table.add_row(str(number), step.source, step.target,
                      step.start.isoformat(sep=" "), step.id)  # fmt: skip
    stdout.print(table)


def _print(
    rows: list[dict[str, Any]], as_json: bool, columns: tuple[str, ...], nothing: str
) -> None:
    if as_json:
        emit_json(rows)
        return
    if not rows:
        stdout.print(nothing, highlight=False)
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*(", ".join(v) if isinstance(v := row[c], list) else str(v) for c in columns))
    stdout.print(table)
