"""Resolving a CSV of person records without a store: ``id,cluster`` out.

The fixed format of ``nitka resolve file`` (checks call it): the input has a
column ``id`` and columns named by FtM Person properties (``records``); the
output has the header ``id,cluster`` and one row per input record, in the
input's order, where ``cluster`` is the id of one record of the cluster (a
record linked to none is its own cluster). The output is written to
``OUT.partial`` and renamed when complete (``csv_files``): a bad input or an
interruption leaves no output that looks finished.
"""

from __future__ import annotations

import csv
import multiprocessing as mp
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from nitka.csv_files import csv_in_out
from nitka.resolve.model import DEFAULT_THRESHOLD, Training
from nitka.resolve.prepare import prepare
from nitka.resolve.records import ID, PersonRecord, read_persons

CLUSTER = "cluster"


class Progress(Protocol):
    """Where long work reports how far it is: a stage, then steps of it."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, steps: int = 1) -> None: ...


@dataclass
class Resolved:
    """What a file's resolution found."""

    records: int
    clusters: int
    largest: int
    """Records in the largest cluster: one far larger than a person's records in
    the sources is weak links chained together."""
    sizes: Counter[int] = field(default_factory=Counter)
    """How many clusters there are of each size."""
    pairs: int = 0
    """Candidate pairs the model scored."""
    links: int = 0
    """Pairs at or above the threshold."""
    trained: bool = False
    """Whether the model was trained on the file, or used as written down."""
    ignored: list[str] = field(default_factory=list)
    """Columns that are no FtM Person property, not linked on."""


PARALLEL_FROM = 50_000
"""Records from which two processes prepare them: a million take a minute each."""
WORKERS = 2
CHUNK = 5_000


def prepare_all(
    records: list[PersonRecord], advance: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    """``prepare`` each record, in ``WORKERS`` processes for a large file.

    Preparing is Python (romanising each word, reading dates), one core's work
    unless split; the processes are forked, so they start at once with the
    records and the dictionaries already loaded.
    """
    if len(records) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        rows = []
        for record in records:
            rows.append(prepare(record))
            if advance is not None:
                advance(1)
        return rows
    chunks = [records[i : i + CHUNK] for i in range(0, len(records), CHUNK)]
    rows = []
    with mp.get_context("fork").Pool(WORKERS) as pool:
        for prepared in pool.imap(_prepare_chunk, chunks):
            rows.extend(prepared)
            if advance is not None:
                advance(len(prepared))
    return rows


def _prepare_chunk(records: list[PersonRecord]) -> list[dict[str, Any]]:
    return [prepare(record) for record in records]


def resolve_csv(
    source: Path,
    target: Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    training: Training = Training.AUTO,
    progress: Progress | None = None,
) -> Resolved:
    """Link the person records of ``source`` and write their clusters to ``target``."""
    # Splink, DuckDB and Arrow take a third of a second to import: only when linking,
    # not for every command of the CLI.
    from nitka.resolve.linkage import link

    with csv_in_out(source, target) as (fh, out):
        if progress is not None:
            progress.stage("reading")
        read = read_persons(fh, str(source), progress=progress.advance if progress else None)
        if progress is not None:
            progress.stage("preparing", len(read.records))
        rows = prepare_all(read.records, progress.advance if progress else None)
        linked = link(rows, threshold=threshold, training=training,
                      stage=progress.stage if progress else None)  # fmt: skip
        writer = csv.writer(out)
        writer.writerow([ID, CLUSTER])
        writer.writerows((record.id, linked.clusters[record.id]) for record in read.records)
    return Resolved(
        records=len(read.records),
        clusters=sum(linked.sizes.values()),
        largest=linked.largest,
        sizes=linked.sizes,
        pairs=linked.pairs,
        links=linked.links,
        trained=linked.trained,
        ignored=read.ignored,
    )
