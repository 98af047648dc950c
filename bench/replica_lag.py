"""Replica lag under 1,000 writes a second (issue 26, docs/replica.md).

Starts a PostgreSQL primary holding a migrated store and a streaming replica of
it (``pg_basebackup -R``, as the tests do: ``tests/replication.py``), with fsync
on unless ``--no-fsync``. Writer processes then commit ``--rate`` writes a second
for ``--seconds``, through Nitka's own code: ``--ingest`` of them a second are
persons of one ingest batch (the statements, the search index and the change
record of ``nitka.effects.after_write``), the rest audit records
(``access.audit.append_many`` in ``services.guard.transaction``, as a search
writes its record with ``--per-commit 1``, and as the check log's writer writes
many checks' to a commit with more), by ``--writers`` processes.

Meanwhile a sampler measures, every ``--every`` seconds:

- the byte lag: the primary's ``pg_current_wal_lsn()`` less the replica's
  ``pg_last_wal_replay_lsn()``;
- the primary's own measure of the replica's lag (``pg_stat_replication.replay_lag``);
- the visibility delay: the time from a write's commit (its WAL position taken on the
  primary at once, as ``Reads.written`` does) until the replica has replayed it, which
  is what a user's read after their write waits (``NITKA_READ_WAIT_SECONDS``).

    python -m bench.replica_lag --rate 1000 --seconds 60
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine
from tests.helpers import make_entity
from tests.replication import replicated

from bench.report import machine, save
from nitka.access.actor import Actor
from nitka.access.audit import Action, AuditEvent, append_many
from nitka.effects import ChangeKind, after_write
from nitka.model.statement import Provenance, statements_from_entity
from nitka.services.guard import transaction
from nitka.store.db import make_engine
from nitka.store.replica import parse_lsn
from nitka.store.writer import load_canonical_map, write_statements

DATASET = "bench-replica"
PROVENANCE = Provenance(DATASET)
ACTOR = Actor.operator("bench.writer", origin="bench", purpose="replica lag benchmark")


def write(url: str, plan: Plan, worker: int, start: Any, done: Any) -> None:
    """Commit ``plan.commits`` transactions a second of ``plan.size`` writes each, paced,
    for ``plan.seconds``, once every writer and the sampler are ready (``start``, a
    barrier); report how many writes were committed."""
    engine = make_engine(url)
    one_write(engine, plan, worker, -1)  # the first loads the model and the normalisers
    start.wait()
    began = time.monotonic()
    count = 0
    while True:
        due = began + count / plan.commits
        now = time.monotonic()
        if now - began >= plan.seconds:
            break
        if due > now:
            time.sleep(due - now)
        one_write(engine, plan, worker, count)
        count += 1
    done.put((count * plan.size, time.monotonic() - began))
    engine.dispose()


@dataclass(frozen=True)
class Plan:
    """What one writer process commits: ``commits`` transactions a second, each of
    ``size`` audit records, or (``ingest``) an ingest batch of ``size`` persons."""

    commits: float
    size: int
    seconds: float
    ingest: bool = False


def one_write(engine: Engine, plan: Plan, worker: int, count: int) -> None:
    with transaction(engine) as conn:
        if plan.ingest:
            persons = [
                make_entity("Person", f"w{worker}-{count}-{n}", name=f"Writer {worker} {count} {n}")
                for n in range(plan.size)
            ]
            stmts = [s for p in persons for s in statements_from_entity(p, PROVENANCE, "bench:1")]
            touched = write_statements(conn, stmts, load_canonical_map(conn))
            after_write(conn, ChangeKind.STATEMENTS, sorted(touched), datasets=[DATASET])
            return
        # As the check log's writer does: the records of one commit claim the chain once.
        events = [
            AuditEvent(
                ACTOR.name,
                Action.SEARCH,
                ACTOR.origin,
                ACTOR.purpose,
                {"query": f"q{count}-{n}"},
                [f"e{count}"],
            )
            for n in range(plan.size)
        ]
        append_many(conn, events)


def sample(primary_url: str, replica_url: str, seconds: float, every: float) -> dict[str, Any]:
    primary = create_engine(primary_url, isolation_level="AUTOCOMMIT")
    replica = create_engine(replica_url, isolation_level="AUTOCOMMIT")
    byte_lags: list[int] = []
    replay_lags: list[float] = []
    delays: list[float] = []
    loads: list[float] = []
    with primary.connect() as p, replica.connect() as r:
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            written = parse_lsn(p.exec_driver_sql("SELECT pg_current_wal_lsn()::text").scalar())
            taken = time.monotonic()
            assert written is not None
            first = True
            while True:
                replayed = parse_lsn(
                    r.exec_driver_sql("SELECT pg_last_wal_replay_lsn()::text").scalar()
                )
                assert replayed is not None
                if first:
                    # How far behind the replica is at the moment the position was taken.
                    byte_lags.append(max(0, written - replayed))
                    first = False
                if replayed >= written:
                    break
                time.sleep(0.0005)
            delays.append(time.monotonic() - taken)
            lag = p.exec_driver_sql(
                "SELECT EXTRACT(EPOCH FROM replay_lag) FROM pg_stat_replication"
            ).scalar()
            if lag is not None:
                replay_lags.append(float(lag))
            loads.append(os.getloadavg()[0])
            time.sleep(max(0.0, every - (time.monotonic() - taken)))
    primary.dispose()
    replica.dispose()
    return {
        "samples": len(delays),
        "visibility_delay_ms": summary([d * 1000 for d in delays]),
        "byte_lag": summary([float(b) for b in byte_lags]),
        "replay_lag_ms": summary([lag * 1000 for lag in replay_lags]),
        "load_1min": summary(loads),
    }


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "max": ordered[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=1000.0, help="writes a second in all")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--writers", type=int, default=2, help="audit writer processes")
    parser.add_argument(
        "--per-commit", type=int, default=1, help="audit records in one transaction"
    )
    parser.add_argument(
        "--ingest",
        type=int,
        default=100,
        help="of the rate, persons ingested in one batch a second",
    )
    parser.add_argument("--every", type=float, default=0.1, help="seconds between samples")
    parser.add_argument("--no-fsync", action="store_true", help="run both servers without fsync")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with replicated(fsync=not args.no_fsync) as pair:
        done: Any = multiprocessing.Queue()
        audited = (args.rate - args.ingest) / args.per_commit / args.writers
        plans = [Plan(audited, args.per_commit, args.seconds)] * args.writers
        if args.ingest:
            plans.append(Plan(1.0, args.ingest, args.seconds, ingest=True))
        start = multiprocessing.Barrier(len(plans) + 1)
        writers = [
            multiprocessing.Process(target=write, args=(pair.primary_url, plan, n, start, done))
            for n, plan in enumerate(plans)
        ]
        for writer in writers:
            writer.start()
        start.wait()
        lag = sample(pair.primary_url, pair.replica_url, args.seconds, args.every)
        counts = [done.get() for _ in writers]
        for writer in writers:
            writer.join()
    written = sum(count for count, _ in counts)
    took = max(elapsed for _, elapsed in counts)
    result = {
        "machine": machine(),
        "load_before": load_before,
        "rate_asked": args.rate,
        "per_commit": args.per_commit,
        "ingest_per_second": args.ingest,
        "writers": args.writers,
        "writes": written,
        "rate_reached": written / took,
        "per_writer": counts,
        "fsync": not args.no_fsync,
        **lag,
    }
    path = save("replica_lag", result)
    print(f"{written:,} writes in {took:.1f} s: {written / took:,.0f}/s (asked {args.rate:,.0f})")
    for key in ("visibility_delay_ms", "replay_lag_ms", "byte_lag", "load_1min"):
        figures = ", ".join(f"{name} {value:,.1f}" for name, value in result[key].items())
        print(f"{key}: {figures}")
    print(f"load before: {load_before}; results in {path}")


if __name__ == "__main__":
    main()
