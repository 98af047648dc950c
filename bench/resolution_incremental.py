"""Incremental entity resolution at a country's scale (issue 22, point 5): 10,000 new
person records linked against 1,000,000 resolved ones, target <= 15 s.

The store (SQLite, cached in ``bench/results``): the key tables of 1,000,000
resolved persons of the synthetic set (``bench.resolution_corpus.synthetic``),
prepared in two processes and written in bulk (``nitka.resolve.keys.write``,
what a rebuild writes, without reading them from statements), and a run whose
model is trained for real: Nitka's linkage (``linkage.link``) over a sample of
50,000 of them, its prior set to a store of 1,000,000 (what a run over the
whole store would start from). The existing persons' statements are not
written: an incremental link reads only the key tables for them.

Each round copies the store, writes the 10,000 new records as statements (an
ingest's batch, with its after-write step) and times ``incremental.catch_up``:
the new records prepared and keyed, the kept records sharing a key with them
looked up, Splink's scoring of new against those and new against new, the
candidates written. The new records are drawn at random from the same
synthetic set, so about half of them are another record (another script,
spelling, date form) of a person already resolved: the true pairs, against
which the candidates' recall is measured.

    python -m bench.resolution_incremental            # 1,000,000 + 10,000
    python -m bench.resolution_incremental --existing 100000 --new 1000
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

from followthemoney import model as ftm
from sqlalchemy import insert, select

from bench.corpus import CACHE
from bench.report import machine, save
from bench.resolution_corpus import Record, synthetic
from nitka.effects import ChangeKind, after_write
from nitka.effects.follow import Follower
from nitka.model.statement import Provenance, statements_from_entity
from nitka.resolve import incremental, keys
from nitka.resolve.model import Training, prior
from nitka.resolve.prepare import prepare
from nitka.resolve.records import PersonRecord
from nitka.resolve.runs import REVIEW_FROM
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.tables import resolve_candidate, resolve_run
from nitka.store.writer import write_statements

SEED = 22
PAGE = 20_000


def person_record(record: Record, row: int = 0) -> PersonRecord:
    values: dict[str, list[str]] = {"name": list(record.names)}
    if record.birth_date:
        values["birthDate"] = [record.birth_date]
    if record.passport:
        values["passportNumber"] = [record.passport]
    return PersonRecord(record.id, row, values)


def split(existing: int, new: int) -> tuple[list[Record], list[Record]]:
    """The synthetic set of ``existing + new`` records, ``new`` of them drawn at random."""
    records = synthetic(existing + new).records
    chosen = set(random.Random(SEED).sample(range(len(records)), new))
    return (
        [r for i, r in enumerate(records) if i not in chosen],
        [r for i, r in enumerate(records) if i in chosen],
    )


def _prepared(records: Sequence[Record]) -> list[dict[str, Any]]:
    return [prepare(person_record(record)) for record in records]


def _pages(records: Sequence[Record]) -> Iterator[Sequence[Record]]:
    for start in range(0, len(records), PAGE):
        yield records[start : start + PAGE]


def build_store(path: Path, existing: list[Record], sample: int) -> None:
    """The resolved store: key tables of every existing record, a run with a model."""
    from nitka.resolve.linkage import link  # Splink loads only to train

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    started = time.perf_counter()
    with ProcessPoolExecutor(2) as pool, engine.begin() as conn:
        for done, rows in enumerate(pool.map(_prepared, _pages(existing)), start=1):
            keys.write(conn, rows)
            print(f"  {done * PAGE:,} records keyed, {time.perf_counter() - started:.0f} s")
    chosen = random.Random(SEED).sample(existing, min(sample, len(existing)))
    started = time.perf_counter()
    linked = link(_prepared(chosen), training=Training.AUTO, keep_from=REVIEW_FROM)
    print(f"  model trained on {len(chosen):,} records, {time.perf_counter() - started:.0f} s")
    saved = {**linked.model, "probability_two_random_records_match": prior(len(existing))}
    with engine.begin() as conn:
        seq = Follower.now(conn).seq
        conn.execute(
            insert(resolve_run).values(
                user="bench", engine="duckdb", datasets="[]", threshold=0.9,
                records=len(existing), pairs=linked.pairs, links=linked.links,
                clusters=0, largest=linked.largest, sizes="{}", trained=linked.trained,
                levels="[]", started_at=_now(), finished_at=_now(),
                model=json.dumps(saved, ensure_ascii=False), seq=seq,
            )
        )  # fmt: skip
        keys.hold(conn)
        keys.move_to(conn, seq, rebuilt=True)
    engine.dispose()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def one_round(base: Path, new: list[Record]) -> tuple[float, incremental.Caught, set[Any]]:
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        path = Path(folder) / "store.db"
        shutil.copyfile(base, path)
        engine = make_engine(f"sqlite:///{path}")
        provenance = Provenance(dataset="arrived")
        with engine.begin() as conn:
            entities = []
            for record in new:
                entity = ftm.make_entity("Person")
                entity.id = record.id
                for prop, values in person_record(record).values.items():
                    entity.add(prop, values)
                entities.append(entity)
            stmts = [s for e in entities for s in statements_from_entity(e, provenance, "b:1")]
            touched = write_statements(conn, stmts, {})
            after_write(conn, ChangeKind.STATEMENTS, sorted(touched), datasets=["arrived"])
        started = time.perf_counter()
        with engine.begin() as conn:
            caught = incremental.catch_up(conn)
        elapsed = time.perf_counter() - started
        with engine.connect() as conn:
            found = {
                (left, right, bool(clustered))
                for left, right, clustered in conn.execute(
                    select(resolve_candidate.c.left_id, resolve_candidate.c.right_id,
                           resolve_candidate.c.clustered)
                )
            }  # fmt: skip
        engine.dispose()
    return elapsed, caught, found


def true_pairs(existing: list[Record], new: list[Record]) -> set[tuple[str, str]]:
    """New-existing and new-new pairs of one person."""
    people: dict[str, list[str]] = {}
    for record in existing:
        people.setdefault(record.person, []).append(record.id)
    fresh: dict[str, list[str]] = {}
    for record in new:
        fresh.setdefault(record.person, []).append(record.id)
    pairs: set[tuple[str, str]] = set()
    for person, ids in fresh.items():
        for new_id in ids:
            pairs.update(tuple(sorted((new_id, old))) for old in people.get(person, []))  # type: ignore[misc]
        pairs.update(tuple(sorted(pair)) for pair in combinations(ids, 2))  # type: ignore[misc]
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--existing", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    existing, new = split(args.existing, args.new)
    CACHE.mkdir(exist_ok=True)
    base = CACHE / f"resolution_incremental_{args.existing}_{args.sample}.db"
    if not base.exists():
        print(f"building the resolved store of {len(existing):,} records: {base}")
        building = base.with_suffix(".building")
        building.unlink(missing_ok=True)
        build_store(building, existing, args.sample)
        building.rename(base)
    truth = true_pairs(existing, new)
    times: list[float] = []
    caught: incremental.Caught | None = None
    found: set[Any] = set()
    for number in range(args.repeats):
        elapsed, caught, found = one_round(base, new)
        times.append(elapsed)
        print(f"round {number + 1}: {elapsed:.1f} s, {caught}")
    assert caught is not None
    pairs = {(left, right) for left, right, _ in found}
    clustered = {(left, right) for left, right, together in found if together}
    result = {
        "existing": len(existing),
        "new": len(new),
        "sample": args.sample,
        "seconds": [round(t, 2) for t in times],
        "median_seconds": round(statistics.median(times), 2),
        "compared": caught.compared,
        "pairs_scored": caught.pairs,
        "candidates": caught.candidates,
        "clustered": len(clustered),
        "true_pairs": len(truth),
        "recall": round(len(pairs & truth) / max(len(truth), 1), 4),
        "recall_clustered": round(len(clustered & truth) / max(len(truth), 1), 4),
        "precision_clustered": round(len(clustered & truth) / max(len(clustered), 1), 4),
        "machine": machine(),
    }
    print(save(f"resolution_incremental_{args.existing}_{args.new}", result))
    for key, value in result.items():
        if key != "machine":
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
