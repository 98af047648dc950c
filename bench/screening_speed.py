"""Screening speed in process: index build, checks per second, latency, memory.

Watch list: synthetic persons whose names are real Ukrainian and Russian
name parts (the PEP dictionaries, as in ``search_bench``), with birth dates,
plus synthetic stolen documents and vehicles. Checks: a mix of person checks
(a listed person's name in the other script, with the birth date; one in
five a name not on the list), document checks and vehicle checks, one after the other
in one process.

    python -m bench.screening_speed --persons 100000 --documents 100000 --vehicles 100000
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from typing import Any

from followthemoney import model

from bench.report import machine, save
from bench.search_bench import people
from nitka.model.handling import HandlingCode
from nitka.screen.checks import check, parse_query
from nitka.screen.entries import ListEntry
from nitka.screen.index import ScreeningIndex
from nitka.screen.synthetic import documents, vehicles


def _entry(proxy: Any) -> ListEntry:
    return ListEntry(
        id=proxy.id,
        schema=proxy.schema.name,
        caption=proxy.caption,
        lists=("bench",),
        records=(),
        handling=HandlingCode.H0,
        handling_notes=(),
        proxy=proxy,
    )


def _birth(rng: random.Random) -> str:
    return f"{rng.randrange(1950, 2005)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--vehicles", type=int, default=100_000)
    parser.add_argument("--checks", type=int, default=5_000)
    args = parser.parse_args()
    rng = random.Random(3)
    persons = people(args.persons)
    births = [_birth(rng) for _ in persons]
    docs = list(documents(args.documents))
    cars = list(vehicles(args.vehicles))
    index = ScreeningIndex()
    start = time.perf_counter()
    for (pid, listed, _), born in zip(persons, births, strict=True):
        proxy = model.make_entity("Person")
        proxy.id = pid
        proxy.add("name", listed)
        proxy.add("birthDate", born)
        index.add(_entry(proxy))
    person_build = time.perf_counter() - start
    for proxy in docs + cars:
        index.add(_entry(proxy))
    build = time.perf_counter() - start
    memory_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"index: {len(index):,} entries in {build:.1f} s (persons {person_build:.1f} s); "
        f"peak memory {memory_mib:,.0f} MiB",
        flush=True,
    )
    queries: list[dict[str, Any]] = []
    for _ in range(args.checks):
        kind = rng.random()
        if kind < 0.6:
            n = rng.randrange(len(persons))
            name = persons[n][2] if rng.random() < 0.8 else f"Zzyzx Qwrtp{n}"
            queries.append(
                {"schema": "Person", "properties": {"name": [name], "birthDate": [births[n]]}}
            )
        elif kind < 0.85:
            doc = rng.choice(docs)
            queries.append({"schema": "Passport", "properties": {"number": doc.get("number")}})
        else:
            car = rng.choice(cars)
            plates = car.get("registrationNumber")[1:]
            queries.append({"schema": "Vehicle", "properties": {"registrationNumber": plates}})
    latencies: list[float] = []
    hits = 0
    began = time.perf_counter()
    for data in queries:
        t0 = time.perf_counter()
        hits += check(index, parse_query(data)).is_hit
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - began
    per_second = len(queries) / elapsed
    p50 = statistics.median(latencies) * 1000
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    print(
        f"{len(queries):,} mixed checks: {per_second:,.0f}/s, p50 {p50:.2f} ms, "
        f"p99 {p99:.2f} ms, {hits:,} hits",
        flush=True,
    )
    save(
        "screening_speed",
        {
            "entries": len(index),
            "build_s": round(build, 1),
            "person_build_s": round(person_build, 1),
            "peak_memory_mib": round(memory_mib),
            "checks": len(queries),
            "checks_per_second": round(per_second),
            "p50_ms": round(p50, 3),
            "p99_ms": round(p99, 3),
            "hits": hits,
            "machine": machine(),
        },
    )


if __name__ == "__main__":
    main()
