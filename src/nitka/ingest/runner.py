"""Running an ingest: batches, one transaction each, resumable, with rejects.

Statements of a batch are collected in memory and written in one transaction
together with the search index rows they change and the ingest's progress
mark. A failure rolls back only the batch at hand; the batches before it stay,
and running the same ingest again resumes after the last one committed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import orjson
from followthemoney import EntityProxy
from sqlalchemy import Engine, select

from nitka.ingest.base import Converted, Converter
from nitka.ingest.errors import BadRecord, RecordError
from nitka.ingest.readers import STDIN
from nitka.model.statement import PoliceStatement, Provenance, statements_from_entity
from nitka.search.index import existing, index_batch
from nitka.store.db import upsert
from nitka.store.tables import ingest_run
from nitka.store.writer import load_canonical_map, write_statements

Progress = Callable[[int], None]


class OnError(StrEnum):
    ROLLBACK = "rollback"
    """Stop at the first bad record; its batch is rolled back, earlier batches stay."""
    REJECT = "reject"
    """Write the bad record to the reject file and go on."""


@dataclass
class IngestReport:
    path: str
    dataset: str
    records: int = 0
    statements: int = 0
    entities: int = 0
    batches: int = 0
    rejected: int = 0
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
    batch_size: int = 5000,
    on_error: OnError = OnError.ROLLBACK,
    reject_path: str | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest one file. Raises RecordError in rollback mode, after committing earlier batches."""
    report = IngestReport(path=converter.path, dataset=provenance.dataset)
    key = run_key(converter)
    skip = _resume_point(engine, key)
    report.resumed_after = skip
    with engine.connect() as conn:
        canonical = load_canonical_map(conn)
    rejects: IO[bytes] | None = None
    files = ExitStack()
    pending: list[PoliceStatement] = []
    pending_records = 0
    last_record = skip
    entity_ids: set[str] = set()

    def flush() -> None:
        nonlocal pending, pending_records
        with engine.begin() as conn:
            batch_ids = {canonical.get(s.entity_id, s.canonical_id or s.entity_id) for s in pending}
            known = existing(conn, batch_ids)
            touched = write_statements(conn, pending, canonical)
            index_batch(conn, pending, canonical, touched, known)
            if key is not None:
                _mark(conn, key, converter, last_record, finished=False)
        report.statements += len(pending)
        report.batches += 1
        if progress is not None:
            progress(pending_records)
        pending, pending_records = [], 0

    try:
        for number, record in converter.records():
            if number <= skip:
                continue
            try:
                if isinstance(record, BadRecord):
                    raise record.error
                items = list(converter.convert(record))
                statements = list(_statements(items, provenance, converter, number))
            except RecordError as exc:
                error = exc.located(converter.path, number) if not exc.path else exc
                if on_error is OnError.ROLLBACK:
                    raise error from None
                if rejects is None:
                    default = "stdin" if converter.path == STDIN else converter.path
                    report.reject_path = reject_path or f"{default}.rejects.jsonl"
                    # Opened on the first reject only; the ExitStack closes it.
                    rejects = files.enter_context(Path(report.reject_path).open("ab"))  # noqa: SIM115
                raw = record.raw if isinstance(record, BadRecord) else record
                rejects.write(_reject_line(error, raw))
                report.rejected += 1
                report.errors.append(str(error))
                statements = []
            pending.extend(statements)
            entity_ids.update(s.entity_id for s in statements)
            pending_records += 1
            report.records += 1
            last_record = number
            if pending_records >= batch_size:
                flush()
        if pending or pending_records:
            flush()
        if key is not None:
            with engine.begin() as conn:
                _mark(conn, key, converter, last_record, finished=True)
    finally:
        files.close()
    report.entities = len(entity_ids)
    return report


def _statements(
    items: Iterable[Converted], provenance: Provenance, converter: Converter, number: int
) -> Iterable[PoliceStatement]:
    origin = f"{converter.origin_name}:{number}"
    for item in items:
        if isinstance(item, EntityProxy):
            yield from statements_from_entity(item, provenance, origin=origin)
        else:
            yield item


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


def _reject_line(error: RecordError, record: Any) -> bytes:
    data = {
        "path": error.path,
        "record": error.record,
        "field": error.field,
        "error": error.message,
        "data": record,
    }
    return orjson.dumps(data, default=str) + b"\n"
