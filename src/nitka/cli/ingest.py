"""``nitka ingest KIND PATH``: bring a source into the store, graded and categorised."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from nitka.access.audit import Action
from nitka.cli.context import (
    actor,
    emit_json,
    fail,
    open_store,
    settings,
    stderr,
    stdout,
)
from nitka.errors import IngestError, RecordError
from nitka.ingest.base import ConverterOptions
from nitka.ingest.kinds import CONVERTERS
from nitka.ingest.readers import STDIN
from nitka.ingest.runner import IngestReport, OnError
from nitka.model.grading import Grading
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import Provenance
from nitka.services.guard import DeclinedError
from nitka.services.ingest import ingest_file


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)


def _seen(path: str, given: str | None) -> str:
    """When the data was observed: as given, else the file's modification time.

    Taking the file's time (not the clock) keeps a repeated ingest of the same
    file from changing anything.
    """
    if given:
        return given
    if path == STDIN:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    mtime = Path(path).stat().st_mtime
    return datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _options(pairs: list[str]) -> dict[str, str]:
    result = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            fail(f"--option takes KEY=VALUE, not {pair!r}")
        result[key.strip()] = value.strip()
    return result


def ingest_command(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=f"The format: {', '.join(CONVERTERS)}."),
    path: str = typer.Argument(..., help="The input file, or - for standard input."),
    dataset: str | None = typer.Option(
        None, "--dataset", help="The source's name (default: the file's name)."
    ),
    mapping: str | None = typer.Option(
        None, "--mapping", help="An FtM mapping file (YAML), for the mapping kind."
    ),
    sheet: str | None = typer.Option(None, "--sheet", help="The XLSX sheet to read."),
    case: str | None = typer.Option(None, "--case", help="The case the data belongs to."),
    create_case: bool = typer.Option(
        False, "--create-case", help="Open the --case if it does not exist (else an error)."
    ),
    grading: str = typer.Option(
        "F6", "--grading", help="6x6 grade: source reliability A-F, information 1-6."
    ),
    category: DataSubjectCategory | None = typer.Option(
        None, "--category", help="Data-subject category (default depends on the format)."
    ),
    handling: HandlingCode = typer.Option(HandlingCode.H0, "--handling", help="Handling code."),
    handling_note: str | None = typer.Option(
        None, "--handling-note", help="The restriction an H3 handling code states."
    ),
    seen: str | None = typer.Option(
        None, "--seen", help="When the source observed the data (default: the file's time)."
    ),
    on_error: OnError = typer.Option(
        OnError.ROLLBACK,
        "--on-error",
        help="rollback: stop at a record that cannot be read at all (its batch is undone); "
        "reject: write such records to the reject file and go on. Either way a value that "
        "cannot be read is left out of its record and noted in the reject file.",
    ),
    rejects: str | None = typer.Option(
        None, "--rejects", help="The reject file (default: PATH.rejects.jsonl)."
    ),
    batch_size: int | None = typer.Option(None, "--batch-size", help="Records per transaction."),
    option: list[str] = typer.Option(
        [], "--option", help="A format option KEY=VALUE (see docs/ingest-formats.md)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Ingest a file: ftm, mapping (CSV/XLSX), interpol, cdr, transactions or htcds."""
    converter_class = CONVERTERS.get(kind)
    if converter_class is None:
        fail(f"unknown kind {kind!r}: use one of {', '.join(CONVERTERS)}")
    try:
        grade = Grading.parse(grading)
    except ValueError as exc:
        fail(f"--grading: {exc}")
    if path != STDIN and not Path(path).is_file():
        fail(f"{path}: no such file")
    engine = open_store(ctx)
    name = dataset or (Path(path).stem if path != STDIN else "stdin")
    who = actor(ctx, engine, Action.CHANGE, {"ingest": kind, "path": path, "dataset": name})
    options = ConverterOptions(mapping=mapping, sheet=sheet, extra=_options(option))
    try:
        converter = converter_class(path, name, options)
        provenance = Provenance(
            dataset=name,
            case=case,
            grading=grade,
            category=category or converter_class.default_category,
            handling=handling,
            handling_note=handling_note,
            seen=_seen(path, seen),
        )
    except (IngestError, ValueError) as exc:
        fail(str(exc))
    size = batch_size or settings(ctx).batch_size
    try:
        with _progress() as progress:
            task = progress.add_task(f"{kind} {Path(path).name}", total=converter.count())
            report = ingest_file(
                engine,
                who,
                converter,
                provenance,
                kind=kind,
                batch_size=size,
                on_error=on_error,
                reject_path=rejects,
                progress=lambda n: progress.advance(task, n),
                create_case=create_case,
            )
    except DeclinedError as error:
        fail(str(error))
    except IngestError as exc:
        fail(f"{exc}\nnothing was stored")
    except RecordError as exc:
        fail(f"{exc}\n{_what_is_stored(exc)}")
    _print_report(report, as_json)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=False,
        disable=not stderr.is_terminal,
    )


def _what_is_stored(error: RecordError) -> str:
    stored = error.stored_records or 0
    if not stored:
        return "nothing was stored"
    return (
        f"the {stored:,} records before the batch that holds record {error.record:,} are "
        "stored, nothing of that batch is; ingesting the file again once the record is "
        "fixed stores the rest (what is stored already is not stored twice)"
    )


def _print_report(report: IngestReport, as_json: bool) -> None:
    data = {
        "path": report.path,
        "dataset": report.dataset,
        "records": report.records,
        "entities": report.entities,
        "statements": report.statements,
        "batches": report.batches,
        "rejected": report.rejected,
        "dropped_values": report.dropped_values,
        "reject_path": report.reject_path,
        "resumed_after": report.resumed_after,
    }
    if as_json:
        emit_json(data)
        return
    stdout.print(
        f"{report.dataset}: {report.records:,} records, {report.entities:,} entities, "
        f"{report.statements:,} statements in {report.batches} batches",
        highlight=False,
    )
    if report.resumed_after:
        stdout.print(f"resumed after record {report.resumed_after:,}", highlight=False)
    if report.rejected:
        stdout.print(
            f"[yellow]{report.rejected:,} records rejected[/], see {report.reject_path}",
            highlight=False,
        )
    if report.dropped_values:
        stdout.print(
            f"[yellow]{report.dropped_values:,} values left out[/] of records that were "
            f"kept, each noted with its record and field in {report.reject_path}",
            highlight=False,
        )
