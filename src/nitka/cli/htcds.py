"""``nitka htcds ...``: a case as HTCDS rows, and the CTDC-style anonymised victim file
(docs/htcds.md). Importing HTCDS is ``nitka ingest htcds FILE --case CASE``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import typer
from sqlalchemy import Connection, Engine

from nitka.access.audit import Action
from nitka.cli.context import actor, calling, fail, open_store, settings
from nitka.reports.anonymised import MIN_K
from nitka.services import htcds

htcds_app = typer.Typer(help="IOM's Human Trafficking Case Data Standard (docs/htcds.md).")

PERMISSION_HELP = "The provider's permission (its reference) to pass on H2 data; recorded."


def register(app: typer.Typer) -> None:
    app.add_typer(htcds_app, name="htcds")


@htcds_app.command("export")
def export_command(
    ctx: typer.Context,
    case: str = typer.Argument(..., help="The case."),
    path: str = typer.Argument("-", help="The CSV to write, or - for standard output."),
    permission: str | None = typer.Option(None, "--permission", help=PERMISSION_HELP),
) -> None:
    """Write a case's victims and perpetrators as HTCDS rows (what you may see of them)."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.EXPORT, {"htcds export": case})
    with _writing(engine, path) as (conn, fh):
        count = htcds.export_htcds(conn, who, case, fh, permission=permission)
    typer.echo(f"wrote {count} persons of case {case} to {path}", err=True)


@htcds_app.command("anonymised")
def anonymised_command(
    ctx: typer.Context,
    path: str = typer.Argument("-", help="The CSV to write, or - for standard output."),
    case: list[str] = typer.Option(
        [], "--case", help="A case (repeat for several; default: every case you may see)."
    ),
    k: int | None = typer.Option(
        None,
        "--k",
        help=f"Each combination of quasi-identifiers at least this often "
        f"(default NITKA_ANONYMITY_K; never below {MIN_K}).",
    ),
    permission: str | None = typer.Option(None, "--permission", help=PERMISSION_HELP),
) -> None:
    """Write the victims as a k-anonymous CTDC-style file: no names, ids or dates finer
    than the year; small classes generalised, then suppressed (and counted)."""
    wanted = settings(ctx).anonymity_k if k is None else k
    if wanted < MIN_K:
        fail(f"--k: at least {MIN_K} for anything that leaves the unit, not {wanted}")
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.EXPORT, {"anonymised export": "ctdc"})
    with _writing(engine, path) as (conn, fh):
        result = htcds.export_anonymised(conn, who, fh, k=wanted, cases=case, permission=permission)
    typer.echo(result.describe(), err=True)


@contextmanager
def _writing(engine: Engine, path: str) -> Iterator[tuple[Connection, IO[str]]]:
    """The service's transaction and the output; a file is written beside the target and
    renamed at the end, so a refused or failed export leaves nothing that looks finished."""
    if path == "-":
        with calling(engine) as conn:
            yield conn, sys.stdout
        sys.stdout.flush()
        return
    unfinished = Path(path).with_name(Path(path).name + ".partial")
    try:
        with (
            calling(engine) as conn,
            unfinished.open("w", encoding="utf-8", newline="") as fh,
        ):
            yield conn, fh
    except BaseException:
        unfinished.unlink(missing_ok=True)
        raise
    unfinished.replace(path)
