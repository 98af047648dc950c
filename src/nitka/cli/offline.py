"""``nitka offline``: a copy of the watch lists for a laptop whose line drops (MIND).

The copy is the store the command is given (``NITKA_DATABASE_URL``, a SQLite
file); ``nitka screen`` and ``nitka serve`` work on it as on any store.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from sqlalchemy.engine.url import make_url

from nitka.cli.bars import rows_bar
from nitka.cli.context import emit_json, fail, open_store, settings, stderr, stdout
from nitka.offline import origin, transfer
from nitka.offline.wire import PAGE_CHANGES, OfflineError, fingerprint

offline_app = typer.Typer(
    help="An offline copy of the watch lists (the store given is the copy: a SQLite file)."
)
TOKEN_HELP = "The account's API token on the server (`nitka token create` there)."
TOKEN_OPTION = typer.Option(None, "--token", envvar="NITKA_OFFLINE_TOKEN", help=TOKEN_HELP)
TOKEN_OPTION = typer.Option(None, "--token", envvar="NITKA_OFFLINE_TOKEN", help=TOKEN_HELP)


def register(app: typer.Typer) -> None:
    app.add_typer(offline_app, name="offline")


def _token(token: str | None) -> str:
    if not token:
        fail("token: give the server's API token with --token or NITKA_OFFLINE_TOKEN")
    return token


@offline_app.command("pull")
def pull_command(
    ctx: typer.Context,
    url: str = typer.Option(..., "--from", help="The team server: https://nitka.example.gov"),
    token: str | None = TOKEN_OPTION,
    key: str | None = typer.Option(
        None, "--key", help="The server's signing key (hex) or its fingerprint, to check it by."
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing copy."),
) -> None:
    """Make a signed copy of the watch lists the account may see (nothing more)."""
    target = _copy_path(settings(ctx).database_url)
    with rows_bar("pulling") as bar:
        task = bar.add_task("entries", total=None)
        try:
            pulled = transfer.pull(
                url, _token(token), target, key=key, force=force,
                progress=lambda n: bar.advance(task, n),
            )  # fmt: skip
        except OfflineError as error:
            fail(f"{error.field}: {escape(str(error))}")
    made = pulled.origin
    stderr.print(
        f"pulled {pulled.entities:,} entries ({pulled.statements:,} statements) of "
        f"{', '.join(made.lists)} for {made.account} into {target}\n"
        f"server key {fingerprint(made.server_key)}: compare it with the one your unit "
        "gave you; every later page is checked with it",
        highlight=False,
    )


@offline_app.command("sync")
def sync_command(
    ctx: typer.Context,
    token: str | None = TOKEN_OPTION,
    page_size: int = typer.Option(
        PAGE_CHANGES, "--page-size", min=1, max=10_000, help="Change records per request."
    ),
) -> None:
    """Upload the checks made offline, then take in the server's changes (additions,
    withdrawals, erasures, merges)."""
    engine = open_store(ctx)
    with rows_bar("syncing") as bar:
        task = bar.add_task("entities", total=None)
        try:
            synced = transfer.sync(
                engine, _token(token), progress=lambda n: bar.advance(task, n), limit=page_size
            )
        except OfflineError as error:
            fail(f"{error.field}: {escape(str(error))}")
    stderr.print(
        f"uploaded {synced.uploaded:,} checks ({synced.already:,} the server had); "
        f"{synced.entities:,} entries brought up to date, at change {synced.position:,}",
        highlight=False,
    )


@offline_app.command("upload")
def upload_command(
    ctx: typer.Context,
    token: str | None = TOKEN_OPTION,
    batch: int = typer.Option(
        transfer.UPLOAD_BATCH, "--batch", min=1, max=5000, help="Checks per request."
    ),
) -> None:
    """Upload the checks made on the copy; each is stored once on the server."""
    engine = open_store(ctx)
    try:
        stored, already = transfer.upload(engine, _token(token), batch=batch)
    except OfflineError as error:
        fail(f"{error.field}: {escape(str(error))}")
    stderr.print(f"uploaded {stored:,} checks ({already:,} the server had)", highlight=False)


@offline_app.command("status")
def status_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Where the copy came from, how old it is, and the checks waiting to be uploaded."""
    engine = open_store(ctx)
    try:
        found = transfer.copy_origin(engine)
    except OfflineError as error:
        fail(f"{error.field}: {escape(str(error))}")
    with engine.connect() as conn:
        waiting = transfer.pending(conn, found)
        entries = transfer.entry_count(conn)
    warning = origin.staleness(found, settings(ctx).offline_max_age)
    facts = {
        "server": found.url,
        "account": found.account,
        "lists": list(found.lists),
        "key": fingerprint(found.server_key),
        "entries": entries,
        "position": found.position,
        "pulled_at": found.pulled_at.isoformat(timespec="seconds"),
        "synced_at": found.synced_at.isoformat(timespec="seconds"),
        "checks_to_upload": waiting,
        "warning": warning,
    }
    if as_json:
        emit_json(facts)
        return
    for name, value in facts.items():
        if name != "warning":
            shown = ", ".join(value) if isinstance(value, list) else value
            stdout.print(f"{name}: {shown}", highlight=False)
    if warning is not None:
        stderr.print(f"[bold yellow]warning:[/] {escape(warning)}", highlight=False)


def _copy_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        fail(f"database_url: an offline copy is a SQLite file, not {url.get_backend_name()}")
    return Path(url.database)
