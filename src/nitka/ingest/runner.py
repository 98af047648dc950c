"""Running an ingest: batches, one transaction each, resumable, with rejects.

Records are converted into prepared batches (``batches``), in a parser
process beside this one for large files (``worker``). Each batch is written
in one transaction together with the search index rows it changes and the
ingest's progress mark. A failure rolls back only the batch at hand; the
batches before it stay, and running the same ingest again resumes after the
last one committed. Rejected records, and values dropped from records that
were kept (``nitka.ingest.notes``), are filed once their batch is committed,
so a resumed ingest does not file them twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError

from nitka.effects import ChangeKind, after_write
from nitka.errors import RecordError
from nitka.ingest.base import Converter
from nitka.ingest.batches import BatchBuilder, OnError, PreparedBatch, default_reject_path
from nitka.ingest.collector import collect_batch_garbage, collector_paused
from nitka.ingest.readers import STDIN
from nitka.ingest.worker import prepare_in_parser_process
from nitka.model.statement import Provenance
from nitka.search.index import existing, insert_rows
from nitka.store.db import flush_pending_index_entries, refresh_statistics, upsert
from nitka.store.tables import ingest_run
from nitka.store.writer import load_canonical_map, write_rows

_log = logging.getLogger(__name__)

__all__ = ["IngestReport", "OnError", "ingest", "run_key"]

Progress = Callable[[int], None]

SQLITE_BATCH = 100_000
"""SQLite writes fastest in large transactions: each commit writes every
index page the batch touched, so fewer commits write fewer pages (1M
statements: 26.3 s in batches of 20,000, 22.9 s in batches of 100,000)."""
POSTGRES_BATCH = 50_000
"""PostgreSQL, 1M statements: 51.7 s in batches of 5,000, 42.3 s of 20,000,
39.7 s of 50,000, 41.7 s of 100,000 (with the statistics kept current)."""
ANALYSE_FIRST = 10_000
"""Statements an ingest writes before it first refreshes PostgreSQL's table statistics."""
ANALYSED_TABLES = ("statement", "search_name")
PARALLEL_MIN_BYTES = 16 * 1024 * 1024
"""Files at least this large are parsed in a parser process beside the writer;
for smaller ones starting the process costs more than it saves."""


@dataclass
class IngestReport:
    path: str
    dataset: str
    records: int = 0
    statements: int = 0
    entities: int = 0
    batches: int = 0
    rejected: int = 0
    """Records not stored (reject mode)."""
    dropped_values: int = 0
    """Values left out of records that were stored, each noted in the reject file."""
    resumed_after: int = 0
    reject_path: str | None = None
    errors: list[str] = field(default_factory=list)


def run_key(converter: Converter) -> str | None:
    """Identifies one file's ingest: the same content into the same dataset."""
    if converter.path == STDIN:
        return None
    digest = hashlib.sha256()
    with Path(converter.path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    key = f"{converter.kind}\x1f{converter.dataset}\x1f{digest.hexdigest()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def ingest(
    engine: Engine,
    converter: Converter,
    provenance: Provenance,
    *,
    batch_size: int | None = None,
    on_error: OnError = OnError.ROLLBACK,
    reject_path: str | None = None,
    progress: Progress | None = None,
    parallel: bool | None = None,
) -> IngestReport:
    """Ingest one file. Raises RecordError in rollback mode, after committing earlier batches.

    ``batch_size`` defaults to the fastest size measured for the database.
    ``parallel`` runs the parsing in a parser process; by default it does so
    for files of at least ``PARALLEL_MIN_BYTES`` (measured on both databases:
    since PostgreSQL takes its rows by COPY, its server leaves the parser
    enough of a second core).
    """
    report = IngestReport(path=converter.path, dataset=provenance.dataset)
    key = run_key(converter)
    skip = _resume_point(engine, key)
    report.resumed_after = skip
    with engine.connect() as conn:
        canonical = load_canonical_map(conn)
    sqlite = engine.dialect.name == "sqlite"
    if batch_size is None:
        batch_size = SQLITE_BATCH if sqlite else POSTGRES_BATCH
    builder = BatchBuilder(
        converter, provenance, canonical, batch_size=batch_size, on_error=on_error
    )
    if parallel is None:
        parallel = _is_large(converter.path)
    batches: Iterator[PreparedBatch] = _telling_what_is_stored(
        prepare_in_parser_process(builder, skip) if parallel else builder.batches(skip),
        report,
    )
    entity_ids: set[str] = set()
    last_record = skip
    analysed_at = ANALYSE_FIRST
    with ExitStack() as files:
        files.enter_context(collector_paused())
        rejects: IO[bytes] | None = None
        for batch in batches:
            with engine.begin() as conn:
                write_batch(conn, batch, provenance.dataset)
                if key is not None:
                    _mark(conn, key, converter, batch.last_record, finished=False)
            if report.statements + batch.statement_count >= analysed_at:
                # Whenever the ingest has doubled what it wrote, so the
                # planner keeps up with the table's growth.
                with engine.begin() as conn:
                    refresh_statistics(conn, ANALYSED_TABLES)
                analysed_at *= 2
            if batch.rejects:
                if rejects is None:
                    report.reject_path = reject_path or default_reject_path(converter)
                    # Opened on the first reject only; the ExitStack closes it.
                    rejects = files.enter_context(Path(report.reject_path).open("ab"))
                for rejected in batch.rejects:
                    rejects.write(rejected.line)
                    report.errors.append(rejected.error)
                rejects.flush()
            report.rejected += batch.rejected_records
            report.dropped_values += batch.dropped_values
            report.records += batch.records
            report.statements += batch.statement_count
            report.batches += 1
            entity_ids.update(batch.entity_ids)
            last_record = batch.last_record
            if progress is not None:
                progress(batch.records)
            del batch
            collect_batch_garbage()
    if key is not None:
        with engine.begin() as conn:
            _mark(conn, key, converter, last_record, finished=True)
    if report.batches:
        _merge_pending_index_entries(engine)
    report.entities = len(entity_ids)
    return report


def _telling_what_is_stored(
    batches: Iterator[PreparedBatch], report: IngestReport
) -> Iterator[PreparedBatch]:
    """The batches; a bad record that stops the ingest says how many records before
    it are stored (the next batch is asked for only once the last one is committed)."""
    try:
        yield from batches
    except RecordError as error:
        error.stored_records = report.resumed_after + report.records
        raise


def write_batch(conn: Connection, batch: PreparedBatch, dataset: str) -> None:
    """Write a prepared batch: statements, cluster members, search index, and the
    after-write step's change record (``nitka.effects``).

    Entities the store knew before the batch get their index rows rebuilt
    from the store (by the after-write step), so that names and facets from
    earlier sources stay; new ones take the rows the batch brings, in bulk.
    """
    known = existing(conn, batch.touched)
    write_rows(conn, batch.statements, batch.resolved, known=known)
    insert_rows(conn, [row for row in batch.index if row[0] not in known])
    after_write(
        conn,
        ChangeKind.STATEMENTS,
        batch.touched,
        datasets=[dataset],
        reindexed=batch.touched - known,
    )


def _merge_pending_index_entries(engine: Engine) -> None:
    """Leave the search indexes merged for the searches that follow. Only a
    speed-up: what the ingest wrote is committed, so a failure is logged, not
    raised (autovacuum merges them later)."""
    try:
        with engine.begin() as conn:
            flush_pending_index_entries(conn, "search_name")
    except DBAPIError as error:
        _log.warning("search index pending lists not merged after the ingest: %s", error.orig)


def _is_large(path: str) -> bool:
    if path == STDIN:
        return False
    try:
        return Path(path).stat().st_size >= PARALLEL_MIN_BYTES
    except OSError:
        return False


def _resume_point(engine: Engine, key: str | None) -> int:
    if key is None:
        return 0
    with engine.connect() as conn:
        row = conn.execute(
            select(ingest_run.c.records_done, ingest_run.c.finished).where(ingest_run.c.key == key)
        ).first()
    if row is None or row.finished:
        return 0
    return int(row.records_done)


def _mark(conn: Any, key: str, converter: Converter, done: int, *, finished: bool) -> None:
    statement = upsert(conn, ingest_run, ["key"], ["records_done", "finished", "updated_at"])
    conn.execute(
        statement,
        {
            "key": key,
            "kind": converter.kind,
            "path": str(Path(converter.path).resolve()),
            "dataset": converter.dataset,
            "records_done": done,
            "finished": finished,
            "updated_at": datetime.now(UTC).replace(tzinfo=None),
        },
    )
