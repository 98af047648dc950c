"""Who-saw over a large audit trail: the ``audit_entity`` index against the old scan.

Builds a store holding ``--records`` audit records (by default 10 million), a
unit's three years of use: screening checks (most of them, a few with hits),
searches, entity views, users' exports of what they may see, sign-ins and
changes, and now and then an operator's export of the whole store. The
entities they name come from a pool of two million ids (FtM-style, a dataset
prefix and a SHA-1), drawn with a skew: a few wanted persons are looked at
thousands of times, most a handful. The records form a valid hash chain
(``--verify`` times ``nitka audit verify`` over it). They are written in bulk,
as the store holds them (``COPY`` on PostgreSQL, ``executemany`` on SQLite),
not through ``append`` one by one, with the entity index built afterwards.

It then asks ``who_saw`` (what ``nitka audit who-saw`` runs) for ``--entities``
entities drawn uniformly from the pool, as many drawn as the log names them
(the popular ones), and for clusters of three merged members in one query
(what a subject report asks), and gives p50/p95/p99 of each. The query of
revision 0011 (the entity index OR a scan for whole-store exports) is timed
on ``--old-queries`` entities beside it.

    python -m bench.audit_lookup --records 10000000 --entities 1000 --old-queries 20
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from bench.databases import Databases
from bench.report import machine, save
from nitka.access.audit import (
    GENESIS,
    WHOLE_STORE,
    WHOLE_STORE_MARK,
    AuditRecord,
    index_ids,
    record_hash,
    verify,
    who_saw,
)
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade

POOL = 2_000_000
"""Entity ids the log draws from: the country-scale lists' wanted persons and more."""
WHOLE_STORE_EVERY = 50_000
"""One operator's export of the whole store per this many records (a weekly backup)."""
CHUNK = 100_000
DATASETS = ("ua-wanted", "interpol-red", "sltd", "eu-fsf", "npu-case", "ua-vehicles")
LOG_COLUMNS = ("id", "at", "actor", "origin", "action", "purpose", "subject", "entities",
               "result_size", "outcome", "prev_hash", "hash")  # fmt: skip
OLD_WHO_SAW = """
SELECT * FROM audit_log
WHERE id IN (SELECT audit_id FROM audit_entity WHERE entity_id = :id)
   OR (action = 'export' AND subject LIKE '%the whole store%')
ORDER BY id
"""
"""The query of revision 0011: whole-store exports found by a scan of the log."""


def entity_id(n: int) -> str:
    digest = hashlib.sha1(n.to_bytes(8, "big"), usedforsecurity=False).hexdigest()
    return f"{DATASETS[n % len(DATASETS)]}-{digest}"


def popular(rng: random.Random) -> int:
    """An index into the pool, skewed: index k is drawn in proportion to 1/sqrt(k)."""
    return int(POOL * rng.random() ** 2)


def _event(rng: random.Random, n: int) -> tuple[str, str, str, str, list[str], int, str]:
    """(actor, origin, action, purpose, entities, result_size, subject JSON) of record n."""
    if n % WHOLE_STORE_EVERY == 0:
        subject: dict[str, Any] = {"path": f"/backup/nitka-{n}.jsonl", "what": "statements",
                   "scope": WHOLE_STORE}  # fmt: skip
        return "root", "cli@nitka-db", "export", "", [], 1_000_000, orjson.dumps(subject).decode()
    roll = rng.random()
    officer = f"officer.{rng.randrange(400):03d}"
    origin = f"api@10.{rng.randrange(40)}.{rng.randrange(256)}.{rng.randrange(256)}"
    purpose = f"case 2026/{rng.randrange(3000)}"
    if roll < 0.70:
        hits = (
            [entity_id(popular(rng)) for _ in range(rng.choice((1, 1, 2)))]
            if rng.random() < 0.08
            else []
        )
        born = f"19{rng.randrange(40, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(9)}"
        query = {"schema": "Person", "name": f"Person {rng.randrange(10**7)}", "birthDate": born}
        return (officer, origin, "check", "border check", hits, len(hits),
                orjson.dumps({"query": query, "threshold": 0.7}).decode())  # fmt: skip
    if roll < 0.84:
        found = [entity_id(popular(rng)) for _ in range(rng.randrange(21))]
        subject = {"query": f"Surname {rng.randrange(10**6)}", "limit": 20}
        return officer, origin, "search", purpose, found, len(found), orjson.dumps(subject).decode()
    if roll < 0.96:
        shown = entity_id(popular(rng))
        return officer, origin, "view", purpose, [shown], 1, orjson.dumps({"id": shown}).decode()
    if roll < 0.97:
        held = [entity_id(popular(rng)) for _ in range(rng.randrange(20, 201))]
        subject = {"path": "chart.graphml", "what": "entities", "scope": "what the user may see"}
        return (officer, "cli@ws-17", "export", purpose, held, len(held),
                orjson.dumps(subject).decode())  # fmt: skip
    if roll < 0.99:
        return officer, origin, "sign-in", "", [], 0, '{"how":"password"}'
    changed = [entity_id(popular(rng)) for _ in range(2)]
    subject = {"merge": "+".join(changed), "reason": "same passport number"}
    return officer, "cli@ws-17", "change", purpose, changed, 2, orjson.dumps(subject).decode()


def records(count: int, seed: int) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[int, str]]]]:
    """Chunks of (log rows, entity index rows), hash-chained from the genesis."""
    rng = random.Random(seed)
    start = datetime(2023, 12, 1, tzinfo=UTC)
    step = timedelta(days=3 * 365) / count
    prev = GENESIS
    rows: list[tuple[Any, ...]] = []
    index: list[tuple[int, str]] = []
    for n in range(1, count + 1):
        actor, origin, action, purpose, entities, size, subject = _event(rng, n)
        entities = sorted(set(entities))
        fields = {
            "id": n,
            "at": (start + step * n).isoformat(timespec="microseconds"),
            "actor": actor,
            "origin": origin,
            "action": action,
            "purpose": purpose,
            "subject": subject,
            "entities": orjson.dumps(entities).decode(),
            "result_size": size,
            "outcome": "done",
        }
        digest = record_hash(prev, fields)
        rows.append((*fields.values(), prev, digest))
        index += [(n, e) for e in index_ids(entities, action, subject, "done")]
        prev = digest
        if len(rows) == CHUNK:
            yield rows, index
            rows, index = [], []
    if rows:
        yield rows, index


def build(engine: Engine, count: int, seed: int) -> dict[str, float]:
    """Fill a migrated, empty store; returns the seconds each step took."""
    upgrade(engine)
    timings: dict[str, float] = {}
    began = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_audit_entity_entity_id_audit_id"))
    last: tuple[int, str] = (0, GENESIS)
    for rows, index in records(count, seed):
        # A transaction a chunk: SQLite's WAL is checkpointed as the load goes.
        with engine.begin() as conn:
            raw: Any = conn.connection.dbapi_connection
            cursor = raw.cursor()
            if engine.dialect.name == "sqlite":
                marks = ", ".join("?" * len(LOG_COLUMNS))
                cursor.executemany(f"INSERT INTO audit_log VALUES ({marks})", rows)
                cursor.executemany("INSERT INTO audit_entity VALUES (?, ?)", index)
            else:
                with cursor.copy(f"COPY audit_log ({', '.join(LOG_COLUMNS)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                with cursor.copy("COPY audit_entity (audit_id, entity_id) FROM STDIN") as copy:
                    for row in index:
                        copy.write_row(row)
        last = (rows[-1][0], rows[-1][-1])
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_head SET last_id = :id, last_hash = :hash WHERE id = 1"),
            {"id": last[0], "hash": last[1]},
        )
    timings["load_s"] = time.perf_counter() - began
    began = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE INDEX ix_audit_entity_entity_id_audit_id "
                "ON audit_entity (entity_id, audit_id)"
            )
        )
    timings["entity_index_s"] = time.perf_counter() - began
    began = time.perf_counter()
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    else:
        # What autovacuum does to a table that only grows: statistics, and the
        # visibility map that lets who-saw read record ids from the index alone.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE audit_log"))
            conn.execute(text("VACUUM ANALYZE audit_entity"))
    timings["analyze_s"] = time.perf_counter() - began
    return timings


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "n": len(samples),
        "p50_ms": round(cuts[49] * 1000, 2),
        "p95_ms": round(cuts[94] * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
        "max_ms": round(max(samples) * 1000, 2),
    }


def timed(
    conn: Connection, asks: list[Any], ask: Callable[[Connection, Any], list[Any]]
) -> dict[str, float]:
    samples: list[float] = []
    sizes: list[int] = []
    for question in asks:
        began = time.perf_counter()
        answer = ask(conn, question)
        samples.append(time.perf_counter() - began)
        sizes.append(len(answer))
    found = percentiles(samples)
    found["records_p50"] = statistics.median(sizes)
    found["records_max"] = max(sizes)
    return found


def old_who_saw(conn: Connection, entity: str) -> list[Any]:
    return list(conn.execute(text(OLD_WHO_SAW), {"id": entity}))


def new_who_saw(conn: Connection, entities: str | list[str]) -> list[AuditRecord]:
    return who_saw(conn, entities)


def measure(engine: Engine, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed + 1)
    uniform = [entity_id(rng.randrange(POOL)) for _ in range(args.entities)]
    skewed = [entity_id(popular(rng)) for _ in range(args.entities)]
    merged = [[entity_id(rng.randrange(POOL)) for _ in range(3)] for _ in range(args.entities)]
    found: dict[str, Any] = {}
    with engine.connect() as conn:
        for warm in uniform[:20]:
            new_who_saw(conn, warm)
        found["who_saw_uniform"] = timed(conn, uniform, new_who_saw)
        found["who_saw_popular"] = timed(conn, skewed, new_who_saw)
        found["who_saw_merged_3"] = timed(conn, merged, new_who_saw)
        if args.old_queries:
            found["old_query_uniform"] = timed(conn, uniform[: args.old_queries], old_who_saw)
        marks = conn.execute(
            text("SELECT count(*) FROM audit_entity WHERE entity_id = :mark"),
            {"mark": WHOLE_STORE_MARK},
        ).scalar_one()
        found["whole_store_records"] = marks
        found["index_rows"] = conn.execute(text("SELECT count(*) FROM audit_entity")).scalar_one()
    if args.verify:
        with engine.connect() as conn:
            began = time.perf_counter()
            verification = verify(conn)
            found["verify_s"] = round(time.perf_counter() - began, 1)
            found["verify_intact"] = verification.intact
            found["verify_records"] = verification.records
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--entities", type=int, default=1000, help="who-saw questions per kind")
    parser.add_argument("--old-queries", type=int, default=20, help="of the old scan (0: none)")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--verify", action="store_true", help="time audit verify as well")
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": machine(), "records": args.records, "pool": POOL}
    with ExitStack() as stack:
        databases = Databases(stack)
        for backend in args.backends:
            with databases.fresh(backend) as url:
                engine = make_engine(url)
                began = time.perf_counter()
                built = build(engine, args.records, args.seed)
                print(f"{backend}: built {args.records:,} records in "
                      f"{time.perf_counter() - began:.0f} s {built}", flush=True)  # fmt: skip
                measured = measure(engine, args)
                engine.dispose()
                results[backend] = {"build": built, **measured}
                print(f"{backend}: {orjson.dumps(measured).decode()}", flush=True)
    path = save(f"audit_lookup_{args.records}", results)
    print(f"saved {path}")


if __name__ == "__main__":
    main()
