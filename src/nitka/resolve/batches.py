"""Prepared records as an Arrow table, by two processes for a large file.

``prepare`` is Python (romanising each word, reading dates): one core's work
unless split. A million prepared rows as Python dicts would take four
gigabytes; as Arrow columns (``linkage.SCHEMA``), one.

Each preparing process sends the keys of the words it romanised with its
batches, and the name matcher of the main process takes them
(``match.names.known_keys``): it scores the names of the candidate pairs, and
would romanise their words again.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable

import pyarrow as pa

from nitka.match.names import known_keys
from nitka.normalise.names import word_keys, words
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
            batches = _collect_keys(pool.imap(_prepare_chunk_with_keys, chunks), advance)
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


def _collect_keys(
    chunks: Iterable[tuple[pa.RecordBatch, dict[str, frozenset[str]]]],
    advance: Callable[[int], None] | None,
) -> list[pa.RecordBatch]:
    """The batches, the words' keys that came with them given to the name matcher."""
    found = []
    for batch, keys in chunks:
        found.append(batch)
        known_keys(keys)
        if advance is not None:
            advance(batch.num_rows)
    return found


def _prepare_chunk(records: list[PersonRecord]) -> pa.RecordBatch:
    rows = [prepare(record) for record in records]
    columns = [pa.array([row[name] for row in rows], type=SCHEMA.field(name).type)
               for name in SCHEMA.names]  # fmt: skip
    return pa.RecordBatch.from_arrays(columns, schema=SCHEMA)


_sent: set[str] = set()
"""The words whose keys this (preparing) process has sent already."""


def _prepare_chunk_with_keys(
    records: list[PersonRecord],
) -> tuple[pa.RecordBatch, dict[str, frozenset[str]]]:
    """``_prepare_chunk``, and the keys of the words of its names not sent before.

    Preparing romanised every word of the names (``word_keys``); the name matcher
    in the main process would romanise the words of every scored name again.
    """
    batch = _prepare_chunk(records)
    keys: dict[str, frozenset[str]] = {}
    for names in batch.column("names").to_pylist():
        for name in names:
            for word in words(name):
                if word not in _sent:
                    _sent.add(word)
                    keys[word] = word_keys(word)
    return batch, keys
