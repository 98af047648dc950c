"""``nitka calls ...``: call-record queries (docs/analysis.md)."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from nitka.access.audit import Action
from nitka.analysis.asking import asked_time
from nitka.analysis.chains import MAX_DEPTH, MIN_DEPTH
from nitka.analysis.contacts import Contact
from nitka.cli.context import actor, calling, emit_json, open_store, stdout
from nitka.cli.projections import add_upkeep, building
from nitka.errors import FieldError
from nitka.services import analysis_queries

calls_app = typer.Typer(
    help="Call records: contacts, chains, co-location, handsets, burners, change "
    "(docs/analysis.md)."
)
CASE_HELP = "Only the calls of this case (one of yours)."


def register(app: typer.Typer) -> None:
    app.add_typer(calls_app, name="calls")


@calls_app.command("common")
def common_command(
    ctx: typer.Context,
    numbers: list[str] = typer.Argument(
        ..., metavar="NUMBER...", help="Two to ten numbers, as the call records write them."
    ),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Numbers in contact with every one of the given numbers, and how many calls."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"calls": "common", "numbers": numbers})
    with building("calls") as progress, calling(engine) as conn:
        found = analysis_queries.common_contacts(conn, who, numbers, case=case, progress=progress)
    _print(found, as_json, f"no number is in contact with all of {', '.join(numbers)}")


@calls_app.command("top")
def top_command(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="NUMBER", help="A number, as written."),
    limit: int = typer.Option(10, "--limit", min=1, max=1000, help="How many contacts."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The numbers with the most calls with this one."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"calls": "top", "number": number})
    with building("calls") as progress, calling(engine) as conn:
        found = analysis_queries.top_contacts(
            conn, who, number, limit=limit, case=case, progress=progress
        )
    _print(found, as_json, f"no calls with {number}")


def _date(value: str | None, param: typer.CallbackParam) -> str | None:
    """Check a date option at once, naming it (the service reads it again)."""
    if value is not None:
        try:
            asked_time(value, param.name or "date")
        except FieldError as bad:
            raise typer.BadParameter(bad.message.split(": ", 1)[-1]) from None
    return value


@calls_app.command("chains")
def chains_command(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="NUMBER", help="Where the chains start."),
    window: int = typer.Option(
        60, "--window", min=1, help="Minutes from one call to the next, at most."
    ),
    depth: int = typer.Option(
        3, "--depth", min=MIN_DEPTH, max=MAX_DEPTH, help="Calls in a chain, at most."
    ),
    limit: int = typer.Option(100, "--limit", min=1, max=10_000, help="How many chains."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Chains of calls in time order: NUMBER called B, then B called C within the window."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"calls": "chains", "number": number})
    with building("calls") as progress, calling(engine) as conn:
        found = analysis_queries.chains(
            conn, who, number, window=window, depth=depth, limit=limit, case=case,
            progress=progress,
        )  # fmt: skip
    rows = [chain.as_dict() for chain in found]
    table = Table("chain", "calls")
    for row in rows:
        starts = [f"{c['start'][:16].replace('T', ' ')}" for c in row["calls"]]
        table.add_row(" → ".join(row["numbers"]), ", ".join(starts))
    _show(rows, table, as_json, f"no chain of calls from {number}")


@calls_app.command("colocated")
def colocated_command(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="NUMBER", help="A number, as written."),
    minutes: int = typer.Option(
        15, "--minutes", min=1, help="Minutes between two calls through one cell, at most."
    ),
    since: str | None = typer.Option(
        None, "--from", callback=_date, help="NUMBER's calls from this day (YYYY-MM-DD) or time."
    ),
    until: str | None = typer.Option(
        None, "--to", callback=_date, help="NUMBER's calls up to this day (included) or time."
    ),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many numbers."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Numbers with calls through the same cell as NUMBER's calls within minutes of them."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"calls": "colocated", "number": number})
    with building("calls") as progress, calling(engine) as conn:
        found = analysis_queries.colocated(
            conn, who, number, minutes=minutes, since=since, until=until, limit=limit,
            case=case, progress=progress,
        )  # fmt: skip
    rows = [meeting.as_dict() for meeting in found]
    table = Table("number", "meetings", "cells", "first", "last")
    for row in rows:
        table.add_row(row["number"], str(row["meetings"]), ", ".join(row["cells"]),
                      _minute(row["first"]), _minute(row["last"]))  # fmt: skip
    _show(rows, table, as_json, f"no number met {number}")


@calls_app.command("handsets")
def handsets_command(
    ctx: typer.Context,
    number: str | None = typer.Option(
        None, "--number", help="Only the handsets this number was used in, and its swaps."
    ),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many of each."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """IMEIs used with several numbers, and numbers moving between IMEIs (swaps)."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"calls": "handsets", "number": number})
    with building("calls") as progress, calling(engine) as conn:
        shared, swaps = analysis_queries.handsets(
            conn, who, number=number, limit=limit, case=case, progress=progress
        )
    rows = [item.as_dict() for item in shared] + [item.as_dict() for item in swaps]
    table = Table("kind", "imei / number", "numbers / imeis", "calls", "first", "last")
    for row in rows:
        handset = row["kind"] == "handset"
        table.add_row(
            row["kind"],
            row["imei"] if handset else row["number"],
            " → ".join(row["numbers"] if handset else [u["imei"] for u in row["uses"]]),
            str(row["calls"]),
            _minute(row["first"]),
            _minute(row["last"]),
        )
    _show(rows, table, as_json, "no handset with several numbers, no number in several handsets")


@calls_app.command("burners")
def burners_command(
    ctx: typer.Context,
    max_days: int = typer.Option(14, "--max-days", min=1, help="Days from first to last call."),
    max_contacts: int = typer.Option(3, "--max-contacts", min=1, help="Other numbers, at most."),
    min_calls: int = typer.Option(2, "--min-calls", min=1, help="Calls, at least."),
    limit: int = typer.Option(1000, "--limit", min=1, help="How many numbers."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Short-lived numbers with few contacts (the burner pattern)."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"calls": "burners"})
    with building("calls") as progress, calling(engine) as conn:
        found = analysis_queries.burners(
            conn, who, max_days=max_days, max_contacts=max_contacts, min_calls=min_calls,
            limit=limit, case=case, progress=progress,
        )  # fmt: skip
    rows = [burner.as_dict() for burner in found]
    table = Table("number", "days", "contacts", "calls", "first", "last")
    for row in rows:
        table.add_row(row["number"], str(row["days"]), ", ".join(row["contact_numbers"]),
                      str(row["calls"]), _minute(row["first"]), _minute(row["last"]))  # fmt: skip
    _show(rows, table, as_json, "no short-lived number with few contacts")


@calls_app.command("change")
def change_command(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="NUMBER", help="A number, as written."),
    date: str = typer.Option(
        ..., "--date", callback=_date, help="The day (YYYY-MM-DD) or time to compare around."
    ),
    days: int = typer.Option(30, "--days", min=1, max=3660, help="Days before and after."),
    case: str | None = typer.Option(None, "--case", help=CASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """NUMBER's calls in the days before a date against those after it."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"calls": "change", "number": number})
    with building("calls") as progress, calling(engine) as conn:
        found = analysis_queries.behaviour_change(
            conn, who, number, date, days=days, case=case, progress=progress
        )
    shown = found.as_dict()
    if as_json:
        emit_json(shown)
        return
    table = Table("", "before", "after")
    before, after = shown["before"], shown["after"]
    for key in ("calls", "calls_per_day", "contacts", "mean_seconds"):
        table.add_row(key.replace("_", " "), str(before[key]), str(after[key]))
    table.add_row("cells", ", ".join(before["cells"]), ", ".join(after["cells"]))
    table.add_row("new contacts", "", ", ".join(shown["new_contacts"]))
    table.add_row("dropped contacts", ", ".join(shown["dropped_contacts"]), "")
    stdout.print(table)


def _show(rows: list[dict[str, Any]], table: Table, as_json: bool, nothing: str) -> None:
    if as_json:
        emit_json(rows)
    elif not rows:
        stdout.print(nothing, highlight=False)
    else:
        stdout.print(table)


def _minute(moment: str | None) -> str:
    return (moment or "")[:16].replace("T", " ")


add_upkeep(calls_app, "calls", "calls")


def _print(found: list[Contact], as_json: bool, nothing: str) -> None:
    rows = [contact.as_dict() for contact in found]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        stdout.print(nothing, highlight=False)
        return
    table = Table("number", "calls", "out", "in", "minutes", "first", "last", "with")
    for row in rows:
        table.add_row(
            row["number"],
            str(row["calls"]),
            str(row["outgoing"]),
            str(row["incoming"]),
            str(round(row["seconds"] / 60)),
            (row["first"] or "")[:16].replace("T", " "),
            (row["last"] or "")[:16].replace("T", " "),
            ", ".join(f"{n}: {c}" for n, c in row["with"].items()),
        )
    stdout.print(table)
