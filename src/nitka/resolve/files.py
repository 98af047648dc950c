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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from nitka.csv_files import csv_in_out
from nitka.resolve.engines import DUCKDB, Engine
from nitka.resolve.model import DEFAULT_THRESHOLD, Training
from nitka.resolve.records import ID, read_persons

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
    split: int = 0
    """Clusters larger than the cap (``clusters.MAX_CLUSTER``) cut apart at their
    weak links."""
    pairs: int = 0
    """Candidate pairs the model scored."""
    links: int = 0
    """Pairs at or above the threshold."""
    trained: bool = False
    """Whether the model was trained on the file, or used as written down."""
    ignored: list[str] = field(default_factory=list)
    """Columns that are no FtM Person property, not linked on."""


def resolve_csv(
    source: Path,
    target: Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    training: Training = Training.AUTO,
    progress: Progress | None = None,
    engine: Engine = DUCKDB,
) -> Resolved:
    """Link the person records of ``source`` and write their clusters to ``target``."""
    # Splink, DuckDB and Arrow take a third of a second to import: only when linking,
    # not for every command of the CLI.
    from nitka.match.names import forget_known_keys
    from nitka.resolve.batches import prepare_all
    from nitka.resolve.linkage import link_table

    with csv_in_out(source, target) as (fh, out):
        if progress is not None:
            progress.stage("reading")
        read = read_persons(fh, str(source), progress=progress.advance if progress else None)
        if progress is not None:
            progress.stage("preparing", len(read.records))
        prepared = prepare_all(read.records, progress.advance if progress else None)
        ids = [record.id for record in read.records]
        read.records.clear()  # a million records take a gigabyte
        linked = link_table(prepared, threshold=threshold, training=training, engine=engine,
                      stage=progress.stage if progress else None)  # fmt: skip
        forget_known_keys()  # the preparing processes' words, for this file's link only
        writer = csv.writer(out)
        writer.writerow([ID, CLUSTER])
        writer.writerows((record, linked.clusters[record]) for record in ids)
    return Resolved(
        records=len(ids),
        clusters=sum(linked.sizes.values()),
        largest=linked.largest,
        sizes=linked.sizes,
        split=linked.split,
        pairs=linked.pairs,
        links=linked.links,
        trained=linked.trained,
        ignored=read.ignored,
    )
