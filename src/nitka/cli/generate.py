"""``nitka generate``: SYNTHETIC stolen documents and vehicles, for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

import orjson
import typer

from nitka.cli.context import stderr
from nitka.screen.synthetic import documents, vehicles

generate_app = typer.Typer(
    help="Make SYNTHETIC watch-list records (no public SLTD or SMV data exists).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(generate_app, name="generate")


def _write(target: Path, records: object, count: int) -> None:
    with target.open("wb") as out:
        for proxy in records:  # type: ignore[attr-defined]
            out.write(orjson.dumps(proxy.to_dict()) + b"\n")
    stderr.print(f"wrote {count:,} synthetic records to {target}", highlight=False)


@generate_app.command("documents")
def documents_command(
    count: int = typer.Argument(..., min=1, help="How many records."),
    target: Path = typer.Argument(..., help="FtM JSON lines to write (ingest with `ftm`)."),
    seed: int = typer.Option(1, "--seed", help="The same seed gives the same records."),
) -> None:
    """Stolen and lost passports with valid check digits (SYNTHETIC)."""
    _write(target, documents(count, seed), count)


@generate_app.command("vehicles")
def vehicles_command(
    count: int = typer.Argument(..., min=1, help="How many records."),
    target: Path = typer.Argument(..., help="FtM JSON lines to write (ingest with `ftm`)."),
    seed: int = typer.Option(1, "--seed", help="The same seed gives the same records."),
) -> None:
    """Stolen vehicles with valid VINs and Ukrainian or EU plates (SYNTHETIC)."""
    _write(target, vehicles(count, seed), count)
