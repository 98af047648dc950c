"""The ``nitka`` command: the entry point that gathers every command group."""

from __future__ import annotations

import typer

from nitka.cli import demo, generate, ingest, match, screen, search, store
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
) -> None:
    """Nitka: follow the thread through the data."""
    ctx.obj = Settings(database_url=database_url) if database_url else Settings()


store.register(app)
ingest.register(app)
search.register(app)
match.register(app)
screen.register(app)
generate.register(app)
demo.register(app)

if __name__ == "__main__":
    app()
