"""A linkage run over the store, kept: its figures and the pairs it proposes.

``link_store`` reads the persons (``stored``), the standing judgements
(``judged``: labels and constraints), links them (``linkage``) and writes the
run with its candidate pairs in the caller's transaction: an interrupted run
leaves nothing, and no cluster is ever half-written, because a run merges
nothing. Merging is a reviewer's decision on a candidate, one at a time or
as a batch above the administrator's threshold (``review``).

A candidate is a pair of source entities the model scored at least
``REVIEW_FROM`` that no judgement has decided and that are not one entity
already. A new run replaces the open candidates of earlier runs; decided
ones stay as the record of what was decided.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from nitka.effects.follow import Follower
from nitka.resolve import weights
from nitka.resolve.engines import DUCKDB, Engine
from nitka.resolve.judged import constraints
from nitka.resolve.model import DEFAULT_THRESHOLD, Training
from nitka.resolve.prepare import prepare
from nitka.resolve.stored import person_records
from nitka.store.tables import resolve_candidate, resolve_run, resolved_entity

if TYPE_CHECKING:
    from nitka.resolve.linkage import Scored  # Splink loads only to link

REVIEW_FROM = 0.2
"""Pairs scored at least this are proposed for review: below it, the model is sure
enough that they are two people that a reviewer's time is better spent elsewhere."""
OPEN = "open"
INSERT_CHUNK = 2_000

Stage = Callable[[str, int | None], None]


@dataclass(frozen=True)
class Run:
    id: int
    user: str
    engine: str
    datasets: list[str]
    threshold: float
    records: int
    pairs: int
    links: int
    clusters: int
    largest: int
    sizes: dict[int, int]
    trained: bool
    candidates: int
    started_at: datetime
    finished_at: datetime


def link_store(
    conn: Connection,
    user: str,
    *,
    datasets: Sequence[str] = (),
    engine: Engine = DUCKDB,
    threshold: float = DEFAULT_THRESHOLD,
    training: Training = Training.AUTO,
    stage: Stage | None = None,
    advance: Callable[[int], None] | None = None,
) -> Run:
    """Link the store's persons and keep the run and its candidates."""
    from nitka.resolve.linkage import link  # Splink and DuckDB load only to link

    tell: Stage = stage or _silent
    started = _now()
    # What changes later is linked incrementally (``incremental``) from here.
    seq = Follower.now(conn).seq
    tell("reading", None)
    rows = []
    for record in person_records(conn, datasets):
        rows.append(prepare(record))
        if advance is not None:
            advance(1)
    ids = [row["unique_id"] for row in rows]
    judged = constraints(conn, ids)
    linked = link(
        rows,
        threshold=threshold,
        training=training,
        same=judged.same,
        different=judged.different,
        stage=lambda name: tell(name, None),
        keep_from=REVIEW_FROM,
        engine=engine,
    )
    tell("saving", None)
    conn.execute(delete(resolve_candidate).where(resolve_candidate.c.state == OPEN))
    values: dict[str, Any] = {
        "user": user,
        "engine": engine.name.value,
        "datasets": json.dumps(sorted(datasets)),
        "threshold": threshold,
        "records": len(rows),
        "pairs": linked.pairs,
        "links": linked.links,
        "clusters": sum(linked.sizes.values()),
        "largest": linked.largest,
        "sizes": json.dumps({str(size): n for size, n in sorted(linked.sizes.items())}),
        "trained": linked.trained,
        "levels": json.dumps(weights.as_json(linked.comparisons), ensure_ascii=False),
        "model": json.dumps(linked.model, ensure_ascii=False) if linked.model else None,
        "seq": seq,
        "started_at": started,
        "finished_at": _now(),
    }
    key = conn.execute(insert(resolve_run).values(**values)).inserted_primary_key
    assert key is not None
    run_id = int(key[0])
    proposed = _proposals(conn, linked.scored, judged.judged())
    for start in range(0, len(proposed), INSERT_CHUNK):
        chunk = proposed[start : start + INSERT_CHUNK]
        conn.execute(insert(resolve_candidate), [{**c, "run_id": run_id} for c in chunk])
    return get_run(conn, run_id)


def _proposals(
    conn: Connection, scored: Sequence[Scored], judged: set[tuple[str, str]]
) -> list[dict[str, Any]]:
    """The scored pairs a reviewer has something to decide on."""
    canonical = dict(
        conn.execute(select(resolved_entity.c.entity_id, resolved_entity.c.canonical_id)).all()
    )
    decided = {
        (left, right)
        for left, right in conn.execute(
            select(resolve_candidate.c.left_id, resolve_candidate.c.right_id).where(
                resolve_candidate.c.state != OPEN
            )
        )
    }
    found = []
    for pair in scored:
        key = (pair.left, pair.right)
        if key in judged or key in decided:
            continue
        if canonical.get(pair.left, pair.left) == canonical.get(pair.right, pair.right):
            continue
        found.append(candidate_row(pair))
    return found


def candidate_row(pair: Scored) -> dict[str, Any]:
    """An open candidate's values (without its run)."""
    return {
        "left_id": pair.left,
        "right_id": pair.right,
        "probability": pair.probability,
        "weight": pair.weight,
        "comparisons": json.dumps(pair.comparisons, ensure_ascii=False),
        "clustered": pair.clustered,
        "state": OPEN,
    }


def get_run(conn: Connection, run_id: int) -> Run:
    row = conn.execute(select(resolve_run).where(resolve_run.c.id == run_id)).one()
    count = conn.execute(
        select(resolve_candidate.c.id).where(resolve_candidate.c.run_id == run_id)
    ).all()
    return _run(row, len(count))


def latest_run(conn: Connection) -> Run | None:
    row = conn.execute(select(resolve_run).order_by(resolve_run.c.id.desc()).limit(1)).first()
    return None if row is None else get_run(conn, row.id)


def run_levels(conn: Connection, run_id: int) -> list[dict[str, Any]]:
    """The run's model: each comparison's levels with their labels and weights."""
    found = conn.execute(select(resolve_run.c.levels).where(resolve_run.c.id == run_id))
    text = found.scalar_one_or_none()
    return [] if text is None else list(json.loads(text))


def _run(row: Any, candidates: int) -> Run:
    return Run(
        id=row.id,
        user=row.user,
        engine=row.engine,
        datasets=json.loads(row.datasets),
        threshold=row.threshold,
        records=row.records,
        pairs=row.pairs,
        links=row.links,
        clusters=row.clusters,
        largest=row.largest,
        sizes={int(size): n for size, n in json.loads(row.sizes).items()},
        trained=row.trained,
        candidates=candidates,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


def _silent(_name: str, _total: int | None) -> None:
    pass


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
