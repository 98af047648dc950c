"""The ``nitka`` command: the entry point that gathers every command group."""

from __future__ import annotations

import typer

from nitka.cli import (
    access,
    ads,
    assess,
    audit,
    calls,
    demo,
    exchange,
    flows,
    generate,
    htcds,
    ingest,
    login,
    match,
    network,
    offline,
    operations,
    report,
    resolve,
    retention,
    screen,
    search,
    store,
    trips,
    typology,
)
from nitka.cli.context import ACTOR, PURPOSE
from nitka.settings import Settings

app = typer.Typer(
    name="nitka",
    help="Nitka: follow the thread through the data.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def main(
    ctx: typer.Context,
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        envvar="NITKA_DATABASE_URL",
        help="The store: sqlite:///nitka.db (default) or a postgresql:// URL.",
    ),
    actor: str | None = typer.Option(
        None,
        "--as",
        envvar="NITKA_USER",
        help=(
            "Who works, in development mode (default: the login name). In production "
            "mode the CLI acts only for a signed-in account: `nitka login` or NITKA_TOKEN."
        ),
    ),
    purpose: str = typer.Option(
        "",
        "--purpose",
        envvar="NITKA_PURPOSE",
        help="Why: the case or legal basis (recorded in the audit trail).",
    ),
) -> None:
    """Nitka: follow the thread through the data."""
    ctx.obj = Settings(database_url=database_url) if database_url else Settings()
    ctx.meta[ACTOR] = actor or None
    ctx.meta[PURPOSE] = purpose


store.register(app)
login.register(app)
ingest.register(app)
search.register(app)
match.register(app)
resolve.register(app)
screen.register(app)
ads.register(app)
generate.register(app)
demo.register(app)
audit.register(app)
access.register(app)
retention.register(app)
exchange.register(app)
calls.register(app)
flows.register(app)
network.register(app)
trips.register(app)
typology.register(app)
assess.register(app)
htcds.register(app)
report.register(app)
operations.register(app)
offline.register(app)

if __name__ == "__main__":
    app()
