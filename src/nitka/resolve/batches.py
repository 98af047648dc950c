"""Prepared records as an Arrow table, by two processes for a large file.

``prepare`` is Python (romanising each word, reading dates): one core's work
unless split. A million prepared rows as Python dicts would take four
gigabytes; as Arrow columns (``linkage.SCHEMA``), one.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable

import pyarrow as pa

from nitka.resolve.linkage import SCHEMA
from nitka.resolve.prepare import prepare
from nitka.resolve.records import PersonRecord

PARALLEL_FROM = 50_000
"""Records from which two processes prepare them: a million take a minute each."""
WORKERS = 2
CHUNK = 5_000


def prepare_all(
    records: list[PersonRecord], advance: Callable[[int], None] | None = None
) -> pa.Table:
    """``prepare`` each record into an Arrow table (``linkage.SCHEMA``), in
    ``WORKERS`` processes from ``PARALLEL_FROM`` records.

    The processes are forked, so they start at once with the dictionaries
    already loaded; each chunk of records comes back as an Arrow batch.
    """
    chunks = [records[i : i + CHUNK] for i in range(0, len(records), CHUNK)]
    batches: list[pa.RecordBatch] = []
    if len(records) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        prepared: Iterable[pa.RecordBatch] = map(_prepare_chunk, chunks)
        batches = _collect(prepared, advance)
    else:
        with mp.get_context("fork").Pool(WORKERS) as pool:
            batches = _collect(pool.imap(_prepare_chunk, chunks), advance)
    return pa.Table.from_batches(batches, schema=SCHEMA)


def _collect(
    batches: Iterable[pa.RecordBatch], advance: Callable[[int], None] | None
) -> list[pa.RecordBatch]:
    found = []
    for batch in batches:
        found.append(batch)
        if advance is not None:
            advance(batch.num_rows)
    return found


def _prepare_chunk(records: list[PersonRecord]) -> pa.RecordBatch:
    rows = [prepare(record) for record in records]
    columns = [pa.array([row[name] for row in rows], type=SCHEMA.field(name).type)
               for name in SCHEMA.names]  # fmt: skip
    return pa.RecordBatch.from_arrays(columns, schema=SCHEMA)
