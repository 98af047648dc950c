"""``nitka resolve``: which person records are the same person (entity resolution)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import Progress, TaskID

from nitka.cli import resolve_store
from nitka.cli.bars import data_rows, rows_bar
from nitka.cli.context import emit_json, fail, stderr
from nitka.errors import IngestError, RecordError
from nitka.services import resolution
from nitka.services.resolution import (
    DEFAULT_SPARK_MASTER,
    DEFAULT_THRESHOLD,
    SPARK_MASTER_ENV,
    Engine,
    EngineError,
    EngineName,
    Training,
)

resolve_app = typer.Typer(
    help="Entity resolution: which records are the same person, across scripts and spellings.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    resolve_store.register(resolve_app)
    app.add_typer(resolve_app, name="resolve")


class _Bar:
    """The stages of a resolution on one progress bar."""

    def __init__(self, bar: Progress, rows: int | None) -> None:
        self.bar = bar
        self.rows = rows
        self.task: TaskID = bar.add_task("reading", total=rows)

    def stage(self, name: str, total: int | None = None) -> None:
        # Reading does not know how many records there are; the lines counted do.
        if name == "reading" and total is None:
            total = self.rows
        self.bar.update(self.task, description=name, total=total, completed=0)

    def advance(self, steps: int = 1) -> None:
        self.bar.advance(self.task, steps)


@resolve_app.command("file")
def file_command(
    source: Path = typer.Argument(
        ...,
        help="CSV of person records: a column id and columns named by FtM Person "
        "properties (name, birthDate, nationality, passportNumber, phone, ...); "
        "several values in a cell separated by ;.",
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Where to write id,cluster (default IN.clusters.csv)."
    ),
    threshold: float = typer.Option(
        DEFAULT_THRESHOLD,
        "--threshold",
        min=0.0,
        max=1.0,
        help="Pairs of at least this match probability are one person.",
    ),
    training: Training = typer.Option(
        Training.AUTO,
        "--train",
        help="Train the model on the file: auto (from 1,000 records), always or never.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    engine: EngineName = typer.Option(
        EngineName.DUCKDB,
        "--engine",
        help="Where Splink runs: duckdb (in this process) or spark (on --spark-master; "
        "needs pip install 'nitka[spark]' and Java 17).",
    ),
    spark_master: str = typer.Option(
        DEFAULT_SPARK_MASTER,
        "--spark-master",
        envvar=SPARK_MASTER_ENV,
        help="The Spark master with --engine spark: local[N] (N threads in this process) "
        "or spark://HOST:7077 (a cluster whose workers have Nitka installed).",
    ),
) -> None:
    """Link the records of a CSV that are the same person, without a store: one row
    id,cluster per record, where cluster is the id of one record of its cluster."""
    if not source.is_file():
        fail(f"{escape(str(source))} does not exist")
    target = out or source.with_name(source.stem + ".clusters.csv")
    rows = data_rows(source)
    with rows_bar() as bar:
        try:
            found = resolution.resolve_file(
                source, target, threshold=threshold, training=training,
                progress=_Bar(bar, rows), engine=Engine(engine, spark_master),
            )  # fmt: skip
        except (IngestError, RecordError) as error:
            fail(escape(str(error)))
        except EngineError as error:
            fail(escape(f"--{error.field.replace('_', '-')}: {error.message}"))
        except OSError as error:
            fail(escape(f"cannot write {target}: {error.strerror or error}"))
    if found.ignored:
        ignored = ", ".join(found.ignored)
        stderr.print(f"not linked on (no FtM Person property): {ignored}",
                     highlight=False, markup=False)  # fmt: skip
    if as_json:
        emit_json({
            "records": found.records, "clusters": found.clusters, "largest": found.largest,
            "sizes": {str(size): count for size, count in sorted(found.sizes.items())},
            "pairs": found.pairs, "links": found.links, "trained": found.trained,
            "split": found.split,
            "ignored": found.ignored, "out": str(target),
        })  # fmt: skip
        return
    stderr.print(
        f"linked {found.records:,} records into {found.clusters:,} clusters "
        f"(largest {found.largest:,} records; clusters split: {found.split:,}; "
        f"{found.links:,} links of {found.pairs:,} "
        f"pairs scored; model {'trained on the file' if found.trained else 'as written'}), "
        f"written to {target}",
        highlight=False,
        markup=False,
    )
