"""Linking new records against what is already resolved, without linking the store again.

A run over the store (``runs``) links every person once and keeps the model it
trained (``resolve_run.model``) and the change sequence's number when it read
the store (``resolve_run.seq``). What arrives later (an ingest, a received
message, a correction) is named by the change records after it, and
``catch_up`` takes it in as a reader of the sequence, like the analysis
projections:

1. the prepared records and blocking keys (``keys``) take in the changes after
   their position: the changed persons are prepared again, erased ones are gone
   already (the after-write step removes them);
2. with the latest run's model, the persons changed since the run (and since
   the last catch-up) are linked: the kept records that share a blocking key
   with one of them are found in ``resolve_key`` (an index lookup per key), and
   Splink scores only new against those and new against new
   (``predict_between``, ``predict_within``), so ten thousand new records
   meet tens of thousands of existing ones, not the million of the store;
3. pairs scored at least ``runs.REVIEW_FROM`` become open candidates of the
   model's run, on the rules of a run: no pair an analyst judged, none a
   reviewer decided or that is proposed already, none that is one entity.
   A pair at or above the run's threshold whose birth dates do not conflict
   is marked clustered (a batch may accept it).

Without a run there is no model: a catch-up only keeps the keys current. The
model's name frequencies are counted over the kept records, as a run counts
them over the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, or_, select
from sqlalchemy.engine import Connection

from nitka.effects.follow import Follower
from nitka.resolve import keys, model, weights
from nitka.resolve.clusters import Births
from nitka.resolve.judged import constraints
from nitka.resolve.keys import Row
from nitka.resolve.runs import INSERT_CHUNK, REVIEW_FROM, candidate_row
from nitka.store.outbox import Change, ChangeKind
from nitka.store.tables import resolve_candidate, resolve_run, resolved_entity

if TYPE_CHECKING:
    from nitka.resolve.linkage import Scored
from nitka.resolve.backends import DuckDBBackend

REBUILD_ABOVE = 100_000
"""Changed entities beyond which the keys are made again from the store: reading it in
order is faster than looking that many up a page at a time."""
LINK_AT_MOST = 100_000
"""New records beyond which they are not linked one by one: a run over the store is
due (``nitka resolve run``), and the catch-up says so."""
KEYED = frozenset({ChangeKind.STATEMENTS, ChangeKind.ERASED, ChangeKind.REFRESH})
"""Changes that change a person record. A merge or its undo joins source entities
and changes none of them."""
LINKED = frozenset({ChangeKind.STATEMENTS, ChangeKind.REFRESH})


@dataclass(frozen=True)
class ModelRun:
    """The run whose model new records are scored with."""

    id: int
    seq: int
    threshold: float
    model: dict[str, Any]


@dataclass(frozen=True)
class Caught:
    """What a catch-up did."""

    records: int = 0
    """Person records prepared again (or, in a rebuild, prepared at all)."""
    rebuilt: bool = False
    run_id: int | None = None
    """The run whose model scored the new records; None when there is none."""
    linked: int = 0
    """New or changed records linked."""
    compared: int = 0
    """Kept records that share a blocking key with one of them."""
    pairs: int = 0
    """Pairs scored at least ``REVIEW_FROM``."""
    candidates: int = 0
    """Of those, the pairs proposed for review."""
    too_many: bool = False
    """More than ``LINK_AT_MOST`` records changed since the run: none were linked."""


def model_run(conn: Connection) -> ModelRun | None:
    """The latest run, if it kept its model."""
    row = conn.execute(
        select(resolve_run.c.id, resolve_run.c.seq, resolve_run.c.threshold, resolve_run.c.model)
        .order_by(resolve_run.c.id.desc())
        .limit(1)
    ).first()
    if row is None or row.model is None or row.seq is None:
        return None
    return ModelRun(row.id, row.seq, row.threshold, json.loads(row.model))


def catch_up(conn: Connection) -> Caught:
    """Take in the changes after the keys' position, and link what changed since the
    latest run with its model; in the caller's transaction."""
    position = keys.hold(conn)
    run = model_run(conn)
    fresh: list[Row] = []
    rebuilt = position is None
    if position is not None:
        follower = Follower(position)
        named = _named(follower.read(conn), KEYED)
        rebuilt = len(named) > REBUILD_ABOVE
        if not rebuilt:
            fresh = keys.refresh(conn, named)
            if follower.seq != position:
                keys.move_to(conn, follower.seq)
    records = keys.rebuild(conn) if rebuilt else len(fresh)
    if run is None:
        return Caught(records, rebuilt)
    if rebuilt or position is None or run.seq > position:
        # The keys were made again, or the run read the store after the last
        # catch-up: what to link is what changed after the run.
        named = _named(Follower(run.seq).read(conn), LINKED)
        if len(named) > LINK_AT_MOST:
            return Caught(records, rebuilt, run.id, too_many=True)
        fresh = keys.loaded(conn, keys.sources(conn, named))
    if len(fresh) > LINK_AT_MOST:
        return Caught(records, rebuilt, run.id, too_many=True)
    return link(conn, run, fresh, records=records, rebuilt=rebuilt)


def link(
    conn: Connection, run: ModelRun, fresh: Sequence[Row], *, records: int = 0,
    rebuilt: bool = False,
) -> Caught:  # fmt: skip
    """Link these prepared records against the kept ones and each other with the run's
    model, and propose the pairs a reviewer has something to decide on."""
    if not fresh:
        return Caught(records, rebuilt, run.id)
    new_ids = {row["unique_id"] for row in fresh}
    existing = keys.loaded(conn, keys.sharing(conn, fresh) - new_ids)
    frequencies = _frequencies(conn, run.model, [*fresh, *existing])
    scored = score(run, fresh, existing, frequencies)
    proposed = _proposals(conn, scored, new_ids)
    for start in range(0, len(proposed), INSERT_CHUNK):
        chunk = proposed[start : start + INSERT_CHUNK]
        conn.execute(insert(resolve_candidate), [{**c, "run_id": run.id} for c in chunk])
    return Caught(records, rebuilt, run.id, len(fresh), len(existing), len(scored), len(proposed))


def score(
    run: ModelRun,
    fresh: Sequence[Row],
    existing: Sequence[Row],
    frequencies: dict[str, float] | None = None,
) -> list[Scored]:
    """New against existing and new against new, scored with the run's model; the pairs
    of at least ``REVIEW_FROM``, with what each comparison said."""
    import pyarrow as pa  # Splink, DuckDB and Arrow load only to link
    from splink import DuckDBAPI, Linker

    from nitka.resolve.linkage import SCHEMA, Scored, duckdb_in_memory, kept_pairs, quiet_splink

    settings = {**run.model, "retain_intermediate_calculation_columns": True}
    described = {c["output_column_name"]: c["comparison_description"]
                 for c in model.comparisons(frequencies=False)}  # fmt: skip
    comparisons = weights.levels_of(run.model, described)
    kept: list[dict[str, Any]] = []
    with quiet_splink(), duckdb_in_memory() as con:
        db_api = DuckDBAPI(connection=con)
        backend = DuckDBBackend(con, db_api)
        new = db_api.register(pa.Table.from_pylist(list(fresh), schema=SCHEMA))
        linker = Linker(new, settings, log_level=None)
        if frequencies is not None:
            lookup = pa.table({"name_tf": list(frequencies),
                               "tf_name_tf": list(frequencies.values())})  # fmt: skip
            linker.table_management.register_term_frequency_lookup(
                db_api.register(lookup), "name_tf"
            )
        inference = linker.inference
        if existing:
            old = db_api.register(pa.Table.from_pylist(list(existing), schema=SCHEMA))
            between = inference.predict_between(
                new, old, threshold_match_probability=REVIEW_FROM, warning_mode="never"
            )
            kept += kept_pairs(backend, between.physical_name, REVIEW_FROM)
        if len(fresh) > 1:
            within = inference.predict_within(
                new, threshold_match_probability=REVIEW_FROM, warning_mode="never"
            )
            kept += kept_pairs(backend, within.physical_name, REVIEW_FROM)
    births = {row["unique_id"]: Births.of(row) for row in (*fresh, *existing)}
    found: dict[tuple[str, str], Scored] = {}
    for row in kept:
        left, right = sorted((str(row["unique_id_l"]), str(row["unique_id_r"])))
        probability = float(row["match_probability"])
        clustered = probability >= run.threshold and not births[left].conflicts(births[right])
        found[left, right] = Scored(left, right, probability, float(row["match_weight"]),
                                    weights.explain(comparisons, row), clustered)  # fmt: skip
    return list(found.values())


def _frequencies(
    conn: Connection, saved: dict[str, Any], rows: Sequence[Row]
) -> dict[str, float] | None:
    """How common each name of these records is among the kept records, as a run counts
    it (``linkage._name_frequencies``); None when the model does not weigh names so."""
    weighs = any(level.get("tf_adjustment_column") for comparison in saved["comparisons"]
                 for level in comparison["comparison_levels"])  # fmt: skip
    if not weighs:
        return None
    names = {row["name_tf"] for row in rows if row["name_tf"] is not None}
    counted = keys.name_counts(conn, names)
    others = max(keys.count(conn) - 1, 1)
    return {name: max(counted.get(name, 1) - 1, 0) / others for name in sorted(names)}


def _proposals(
    conn: Connection, scored: Sequence[Scored], new_ids: set[str]
) -> list[dict[str, Any]]:
    """The scored pairs a reviewer has something to decide on: not judged, not proposed
    or decided before, not one entity already."""
    ids = sorted({i for pair in scored for i in (pair.left, pair.right)})
    judged = constraints(conn, ids).judged()
    canonical: dict[str, str] = {}
    known: set[tuple[str, str]] = set()
    for chunk in keys.chunks(ids):
        rows = conn.execute(
            select(resolved_entity.c.entity_id, resolved_entity.c.canonical_id).where(
                resolved_entity.c.entity_id.in_(chunk)
            )
        )
        canonical.update((entity, cluster) for entity, cluster in rows)
    for chunk in keys.chunks(sorted(new_ids)):
        pairs = conn.execute(
            select(resolve_candidate.c.left_id, resolve_candidate.c.right_id).where(
                or_(resolve_candidate.c.left_id.in_(chunk),
                    resolve_candidate.c.right_id.in_(chunk))
            )
        )  # fmt: skip
        known.update((left, right) for left, right in pairs)
    return [
        candidate_row(pair)
        for pair in sorted(scored, key=lambda p: (p.left, p.right))
        if (pair.left, pair.right) not in judged
        and (pair.left, pair.right) not in known
        and canonical.get(pair.left, pair.left) != canonical.get(pair.right, pair.right)
    ]


def _named(changes: Iterable[Change], kinds: frozenset[ChangeKind]) -> list[str]:
    """The entity ids changes of these kinds name, each once."""
    found: dict[str, None] = {}
    for item in changes:
        if item.kind in kinds:
            found.update(dict.fromkeys(item.entity_ids))
    return list(found)
