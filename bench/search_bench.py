"""Search latency over 1M person entities, 1,000 mixed Latin/Cyrillic queries.

The people are made from real name parts: the Ukrainian and Russian first
names, patronymics and surnames of the PEP registry's dictionaries. Half are
stored in Cyrillic (Ukrainian or Russian form), half in Latin (a romanisation
of either). Each query is a stored person's name *in the other script*
(and so, often, in the other language: Олександр for a stored Aleksandr),
and one query in ten is a name that is not in the store. The store is built
through ``nitka ingest ftm``.

    python -m bench.search_bench --entities 1000000 --queries 1000
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import time
from contextlib import ExitStack
from pathlib import Path

import orjson

from bench.corpus import CACHE
from bench.databases import Databases
from bench.report import machine, save
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.normalise.names import DATA
from nitka.normalise.romanize import romanize_ru, romanize_uk
from nitka.search.query import search
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade

Person = tuple[str, str, str]  # (id, stored name, query name)


def _pairs(name: str, columns: int = 2) -> list[tuple[str, str]]:
    """(Ukrainian, Russian) pairs of one dictionary, rejected rows left out."""
    with (DATA / name).open(encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh) if len(r) >= columns and "!" not in r[1:]]
    pairs = [(r[0].strip().title(), r[1].strip().title()) for r in rows]
    return [(uk, ru) for uk, ru in pairs if uk and ru]


def people(count: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)
    firsts = _pairs("pep_names.csv")
    lasts = _pairs("pep_lastnames.csv")
    result = []
    for n in range(count):
        first, last = rng.choice(firsts), rng.choice(lasts)
        ukrainian = rng.random() < 0.5
        cyrillic = f"{first[0 if ukrainian else 1]} {last[0 if ukrainian else 1]}"
        romanize = romanize_uk if rng.random() < 0.5 else romanize_ru
        latin = " ".join(romanize(w).title() for w in cyrillic.split())
        if rng.random() < 0.5:
            result.append((f"p{n}", cyrillic, latin))
        else:
            result.append((f"p{n}", latin, cyrillic))
    return result


def entities_file(persons: list[Person]) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"search_people_{len(persons)}.jsonl"
    if not path.exists():
        with path.open("wb") as fh:
            for pid, name, _ in persons:
                entity = {"id": pid, "schema": "Person", "properties": {"name": [name]}}
                fh.write(orjson.dumps(entity) + b"\n")
    return path


def queries(persons: list[Person], count: int, seed: int = 11) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    chosen = rng.sample(persons, count)
    result: list[tuple[str, str | None]] = []
    for n, (pid, _, query) in enumerate(chosen):
        if n % 10 == 9:
            result.append((f"Zqxwv Jkhgf{n}", None))  # not in the store
        else:
            result.append((query, pid))
    return result


def measure(url: str, path: Path, asked: list[tuple[str, str | None]]) -> dict[str, float]:
    engine = make_engine(url)
    upgrade(engine)
    start = time.perf_counter()
    converter = FtMConverter(str(path), "people")
    ingest(engine, converter, Provenance(dataset="people"), batch_size=20_000)
    build = time.perf_counter() - start
    timings, found = [], 0
    with engine.connect() as conn:
        search(conn, "warm up", limit=10)
        for query, target in asked:
            t0 = time.perf_counter()
            results = search(conn, query, limit=10)
            timings.append((time.perf_counter() - t0) * 1000)
            if target is not None and target in {r.id for r in results}:
                found += 1
    engine.dispose()
    timings.sort()
    hits = sum(1 for _, target in asked if target is not None)
    return {
        "build_seconds": build,
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "p99_ms": timings[int(len(timings) * 0.99) - 1],
        "recall_at_10": found / hits,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    persons = people(args.entities)
    path = entities_file(persons)
    asked = queries(persons, args.queries)
    results = {}
    with ExitStack() as stack:
        databases = Databases(stack)
        for backend in args.backends.split(","):
            with databases.fresh(backend) as url:
                results[backend] = measure(url, path, asked)
            r = results[backend]
            print(
                f"{backend:10} {args.entities:,} entities built in {r['build_seconds']:.0f} s; "
                f"{args.queries} queries p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
                f"p99 {r['p99_ms']:.1f} ms; recall@10 {r['recall_at_10']:.3f}",
                flush=True,
            )
    save(
        "search",
        {
            "entities": args.entities,
            "queries": args.queries,
            "results": results,
            "machine": machine(),
        },
    )


if __name__ == "__main__":
    main()
