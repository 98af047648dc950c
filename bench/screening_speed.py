"""Screening speed at a country's scale: index build, memory, checks in process and over HTTP.

Watch lists (``screening_store``): wanted persons made of real name parts
plus the real INTERPOL notices, SYNTHETIC stolen documents and vehicles, all
ingested into a SQLite store. Persons are held in memory by the screening
index; documents and vehicles are looked up in the store by exact key.

Checks: persons (half a listed person's name in the other script with the
birth date, half travellers made of the same name parts, with their own
birth dates, as at a border crossing), documents and vehicles (half listed,
half not), in process and through ``nitka serve`` over HTTP at a fixed rate.
Beside Nitka's scoring, nomenklatura's logic-v2 (the algorithm behind yente)
scores the same candidates of the same person checks. Over HTTP, in the same
run: the ceiling (a bare FastAPI endpoint, ``bench.bare_app``, under the same
gunicorn and uvicorn workers, offered more than it can answer), optionally
uvicorn's own process manager (``--uvicorn-workers``), and a py-spy profile
of the server's processes under load (``--profile``).

    python -m bench.screening_speed --persons 1000000 --documents 10000000 --vehicles 1000000
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from followthemoney import EntityProxy
from nomenklatura.matching import LogicV2, ScoringConfig

from bench.http_load import run_load
from bench.report import RESULTS, machine, save
from bench.screening_store import (
    LISTS,
    Listed,
    birth_date,
    document_numbers,
    store,
    vehicle_numbers,
    wanted_persons,
)
from bench.search_bench import people
from nitka.access.accounts import Role, add_account, create_token, find_account
from nitka.match.entities import compare_entities
from nitka.screen.audit import CheckContext
from nitka.screen.checks import check, parse_query
from nitka.screen.index import ScreeningIndex
from nitka.screen.service import Screener
from nitka.store.db import make_engine

Query = dict[str, Any]
SAMPLE = 2_000
WARM_UP = 20


def person_queries(persons: list[Listed], count: int, rng: random.Random) -> list[Query]:
    travellers = people(count, seed=99)
    queries = []
    for n in range(count):
        if n % 2 == 0:
            person = rng.choice(persons)
            name, born = person.other_script, person.birth_date
        else:
            name, born = travellers[n][1], birth_date(rng)
        queries.append({"schema": "Person", "properties": {"name": [name], "birthDate": [born]}})
    return queries


def document_queries(count: int, rng: random.Random) -> list[Query]:
    listed = list(document_numbers(min(count, SAMPLE)))
    unlisted = list(document_numbers(min(count, SAMPLE), seed=1234))
    queries = []
    for n in range(count):
        _, number, country = rng.choice(listed if n % 2 == 0 else unlisted)
        queries.append(
            {"schema": "Passport", "properties": {"number": [number], "country": [country]}}
        )
    return queries


def vehicle_queries(count: int, rng: random.Random) -> list[Query]:
    listed = list(vehicle_numbers(min(count, SAMPLE)))
    unlisted = list(vehicle_numbers(min(count, SAMPLE), seed=1234))
    queries = []
    for n in range(count):
        _, identifier, plate, _ = rng.choice(listed if n % 2 == 0 else unlisted)
        value = identifier if rng.random() < 0.5 else plate
        queries.append({"schema": "Vehicle", "properties": {"registrationNumber": [value]}})
    return queries


def mixed(persons: list[Query], documents: list[Query], vehicles: list[Query]) -> list[Query]:
    """60% persons, 25% documents, 15% vehicles, interleaved."""
    rng = random.Random(5)
    pools = (persons, documents, vehicles)
    chosen = (rng.choices(pools, (60, 25, 15))[0] for _ in persons)
    return [pool[n % len(pool)] for n, pool in enumerate(chosen)]


def rss_mib(pid: int | str = "self") -> tuple[float, float]:
    """Current and peak resident memory of a process, MiB."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def timed_checks(index: ScreeningIndex, queries: list[Query]) -> dict[str, float]:
    latencies = []
    hits = 0
    began = time.perf_counter()
    for data in queries:
        start = time.perf_counter()
        hits += check(index, parse_query(data)).is_hit
        latencies.append(time.perf_counter() - start)
    elapsed = time.perf_counter() - began
    return {
        "checks": len(queries),
        "per_second": round(len(queries) / elapsed),
        "p50_ms": round(statistics.median(latencies) * 1000, 3),
        "p99_ms": round(statistics.quantiles(latencies, n=100)[98] * 1000, 3),
        "hits": hits,
    }


def scoring_side_by_side(index: ScreeningIndex, queries: list[Query]) -> dict[str, float]:
    """Nitka's and logic-v2's scoring of the same candidates of the same checks."""
    config = ScoringConfig.defaults()
    work: list[tuple[EntityProxy, list[EntityProxy]]] = []
    for n, data in enumerate(queries):
        query = parse_query(data)
        query.id = f"query-{n}"
        candidates = [c.entry.proxy for c in index.candidates(query, threshold=0.7)]
        work.append((query, candidates))
    # The first checks only warm both scorers up (logic-v2 loads its models
    # on first use); they are not timed.
    warm, work = work[:WARM_UP], work[WARM_UP:]
    pairs = sum(len(candidates) for _, candidates in work)

    def clock(score: Callable[[EntityProxy, EntityProxy], float]) -> float:
        for query, candidates in warm:
            for candidate in candidates:
                score(query, candidate)
        start = time.perf_counter()
        for query, candidates in work:
            for candidate in candidates:
                score(query, candidate)
        return time.perf_counter() - start

    nitka_s = clock(lambda q, c: compare_entities(q, c).score)
    logic_s = clock(lambda q, c: float(LogicV2.compare(q, c, config).score))
    return {
        "checks": len(work),
        "candidates_scored": pairs,
        "nitka_ms_per_check": round(nitka_s / len(work) * 1000, 3),
        "logic_v2_ms_per_check": round(logic_s / len(work) * 1000, 3),
        "logic_v2_over_nitka": round(logic_s / nitka_s, 1) if nitka_s else 0.0,
    }


def audit_on_and_off(screener: Screener, queries: list[Query], rounds: int = 4) -> dict[str, Any]:
    """Whole requests (check, check log, audit record, commit) with the audit trail on
    and off, in alternating rounds so that the machine's noise falls on both."""
    context = CheckContext(user="bench", purpose="speed benchmark", channel="bench")
    size = max(len(queries) // (2 * rounds), 1)
    seconds = {True: 0.0, False: 0.0}
    done = {True: 0, False: 0}
    for n in range(2 * rounds):
        audited = n % 2 == 0
        screener.audited = audited
        block = queries[n * size : (n + 1) * size]
        start = time.perf_counter()
        for query in block:
            screener.screen([query], context)
        seconds[audited] += time.perf_counter() - start
        done[audited] += len(block)
    screener.audited = True
    on = done[True] / seconds[True]
    off = done[False] / seconds[False]
    return {
        "requests_each": done[True],
        "audit_on_per_second": round(on),
        "audit_off_per_second": round(off),
        "cost_percent": round((1 - on / off) * 100, 1),
    }


def bench_token(url: str) -> str:
    """An API token of an investigator account ``bench`` (made on first use)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        if find_account(conn, "bench") is None:
            add_account(conn, "bench", Role.INVESTIGATOR)
        token = create_token(conn, "bench", label="benchmark", days=1)
    engine.dispose()
    return token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pss_mib(pid: int) -> float:
    """Proportional set size, MiB: pages shared by forked workers counted once overall."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server_memory(pid: int) -> dict[str, float]:
    """The server's memory: the first process's RSS, and the PSS of it and its workers."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    processes = [pid, *map(int, children)]
    return {
        "first_rss_mib": round(rss_mib(pid)[0]),
        "processes": len(processes),
        "total_pss_mib": round(sum(pss_mib(p) for p in processes)),
    }


def nitka_serve(port: int, workers: int) -> list[str]:
    command = [str(Path(sys.executable).parent / "nitka"), "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    for name in LISTS:
        command += ["--list", name]
    return command


def uvicorn_workers(port: int, workers: int) -> list[str]:
    """The same app under uvicorn's own process manager (each worker loads the lists)."""
    command = [sys.executable, "-m", "uvicorn", "--factory", "bench.uvicorn_app:app"]
    return [*command, "--port", str(port), "--workers", str(workers), "--log-level", "warning"]


def gunicorn_bare(port: int, workers: int) -> list[str]:
    """The bare endpoint (``bench.bare_app``) under gunicorn's uvicorn workers, as Nitka."""
    command = [str(Path(sys.executable).parent / "gunicorn"), "bench.bare_app:app"]
    command += [
        "--worker-class",
        "uvicorn_worker.UvicornWorker",
        "--preload",
        "--no-control-socket",
    ]
    return [*command, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--keep-alive", "5"]


def start_server(
    command: list[str], url: str, port: int, health: urllib.request.Request | None
) -> tuple[subprocess.Popen[bytes], float]:
    """Start a server and wait until it answers (``health``, or any answer on its port)."""
    env = {**os.environ, "NITKA_DATABASE_URL": url, "PYTHONPATH": os.pathsep.join(sys.path)}
    started = time.perf_counter()
    server = subprocess.Popen(command, env=env)
    probe = health or urllib.request.Request(f"http://127.0.0.1:{port}/docs")
    while True:
        try:
            urllib.request.urlopen(probe, timeout=1).read()
            return server, time.perf_counter() - started
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"{command[0]} stopped while loading") from None
            time.sleep(1)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def bare_ceiling(
    url: str, bodies: list[bytes], workers: int, seconds: float, runs: int
) -> dict[str, Any]:
    """A bare FastAPI endpoint under the same process manager and worker count, offered
    more than it can answer: its answered rate is the machine's ceiling."""
    port = free_port()
    server, _ = start_server(gunicorn_bare(port, workers), url, port, None)
    try:
        summaries = []
        run_load("127.0.0.1", port, "/screen", bodies, rate=2000, seconds=3)
        for _ in range(runs):
            load = run_load("127.0.0.1", port, "/screen", bodies, rate=20_000, seconds=seconds)
            summaries.append(load.summary())
            print(f"bare FastAPI, {workers} worker(s): {load.summary()}", flush=True)
        return {"workers": workers, **_medians(summaries)}
    finally:
        stop_server(server)


def profile(pids: list[int], seconds: float) -> dict[str, Any]:
    """Sample the processes with py-spy for ``seconds``; each one's hottest functions
    by own time, and the collapsed stacks in ``bench/results``."""
    spy = str(Path(sys.executable).parent / "py-spy")
    found: dict[str, Any] = {}
    running = []
    for pid in pids:
        out = RESULTS / f"profile_{pid}.txt"
        command = [spy, "record", "--pid", str(pid), "--duration", str(int(seconds))]
        command += [
            "--format",
            "raw",
            "--output",
            str(out),
            "--gil",
            "--nonblocking",
            "--rate",
            "200",
        ]
        running.append((pid, out, subprocess.Popen(command, stdout=subprocess.DEVNULL)))
    for pid, out, process in running:
        process.wait()
        found[str(pid)] = _hottest(out)
    return found


def _hottest(collapsed: Path, top: int = 25) -> dict[str, Any]:
    """Own and total share of samples per function, from py-spy's collapsed stacks."""
    own: dict[str, int] = {}
    total: dict[str, int] = {}
    samples = 0
    if not collapsed.exists():
        return {}
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        samples += count
        frames = stack.split(";")
        name = frames[-1].split(" (")[0] + " (" + frames[-1].split(" (")[-1]
        own[name] = own.get(name, 0) + count
        for frame in {f.split(":")[0] for f in frames}:
            total[frame] = total.get(frame, 0) + count
    if not samples:
        return {}
    return {
        "samples": samples,
        "own": {k: round(v / samples * 100, 1) for k, v in _top(own, top)},
        "total": {k: round(v / samples * 100, 1) for k, v in _top(total, top)},
    }


def _top(counts: dict[str, int], top: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: -item[1])[:top]


def http_bench(
    url: str,
    queries: list[Query],
    rate: float,
    seconds: float,
    workers: int,
    warm_up: float,
    runs: int = 1,
    *,
    manager: str = "gunicorn",
    profile_seconds: float = 0.0,
) -> dict[str, Any]:
    """Start Nitka's server on the store and load it at ``rate`` (and 1.5 times
    ``rate``) requests a second, ``runs`` times each; the medians of the runs beside."""
    port = free_port()
    headers = {"Authorization": f"Bearer {bench_token(url)}", "X-Nitka-Purpose": "speed benchmark"}
    health = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers=headers)
    command = (nitka_serve if manager == "gunicorn" else uvicorn_workers)(port, workers)
    server, ready = start_server(command, url, port, health)
    try:
        loaded = server_memory(server.pid)
        bodies = [orjson.dumps(q) for q in queries]
        # A server at a crossing runs for days: the first seconds after the
        # fork (workers copying the pages they touch, caches filling) are
        # not what an officer meets, so the load is measured after a warm-up.
        warm = run_load(
            "127.0.0.1", port, "/screen", bodies, rate=rate / 2, seconds=warm_up, headers=headers
        )
        print(f"HTTP, {workers} worker(s), warm-up: {warm.summary()}", flush=True)
        results: dict[str, Any] = {"manager": manager}
        if profile_seconds:
            # Profiled under the load at ``rate``, in a run of its own (py-spy's
            # sampling takes some of the machine's two cores).
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            pids = [server.pid, *map(int, children)]
            spied: dict[str, Any] = {}

            def spy() -> None:
                spied.update(profile(pids, profile_seconds))

            thread = threading.Thread(target=spy)
            thread.start()
            load = run_load(
                "127.0.0.1",
                port,
                "/screen",
                bodies,
                rate=rate,
                seconds=profile_seconds,
                headers=headers,
            )
            thread.join()
            print(f"HTTP, profiled, {rate:,.0f}/s: {load.summary()}", flush=True)
            results["profile"] = {
                "load": load.summary(),
                "processes": {pid: _cmdline(int(pid)) for pid in spied},
                "hottest": spied,
            }
        for target in (rate, rate * 1.5):
            summaries = []
            for _ in range(runs):
                load = run_load(
                    "127.0.0.1",
                    port,
                    "/screen",
                    bodies,
                    rate=target,
                    seconds=seconds,
                    headers=headers,
                )
                summaries.append(load.summary())
                print(f"HTTP, {workers} worker(s), {target:,.0f}/s: {load.summary()}", flush=True)
            results[f"{target:.0f}/s"] = summaries[0] if runs == 1 else _medians(summaries)
        return {
            "workers": workers,
            "ready_s": round(ready, 1),
            "memory_loaded": loaded,
            "memory_after_load": server_memory(server.pid),
            **results,
        }
    finally:
        stop_server(server)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
    except OSError:
        return "(ended)"


def in_process(
    url: str,
    people_checks: list[Query],
    side_checks: list[Query],
    documents: list[Query],
    vehicles: list[Query],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Index build and memory, checks in process, scoring beside logic-v2, the audit's cost."""
    engine = make_engine(url)
    before, _ = rss_mib()
    start = time.perf_counter()
    screener = Screener(engine, LISTS)
    index = screener.index
    build_s = time.perf_counter() - start
    after, peak = rss_mib()
    held = len(index)
    print(f"index: {len(index):,} persons in memory, {build_s:.1f} s, +{after - before:,.0f} MiB")
    persons_only = timed_checks(index, people_checks)
    print(f"person checks: {persons_only}", flush=True)
    mixed_checks = timed_checks(index, mixed(people_checks, documents, vehicles))
    print(f"mixed checks: {mixed_checks}", flush=True)
    side = scoring_side_by_side(index, side_checks)
    print(f"scoring side by side: {side}", flush=True)
    audit = audit_on_and_off(
        screener, mixed(people_checks, documents, vehicles)[: args.audit_checks]
    )
    print(f"requests with the audit trail on and off: {audit}", flush=True)
    del index, screener
    gc.collect()
    engine.dispose()
    return {
        "index": {
            "persons_in_memory": held,
            "build_s": round(build_s, 1),
            "memory_mib": round(after - before),
            "process_peak_mib": round(peak),
        },
        "person_checks": persons_only,
        "mixed_checks": mixed_checks,
        "scoring_side_by_side": side,
        "audit_on_and_off": audit,
    }


def _medians(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Each run's load summary, and the median of their rates and latencies."""
    medians = {
        name: statistics.median(float(summary[name]) for summary in summaries)
        for name in ("achieved_rate", "p50_ms", "p99_ms", "mean_ms")
    }
    return {"runs": summaries, "median": medians}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=10_000_000)
    parser.add_argument("--vehicles", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=20_000)
    parser.add_argument("--side-by-side", type=int, default=300)
    parser.add_argument("--rate", type=float, default=2000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--warm-up", type=float, default=20, help="seconds at half the rate before measuring"
    )
    parser.add_argument("--audit-checks", type=int, default=4_000)
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="nitka serve --workers, each run"
    )
    parser.add_argument("--runs", type=int, default=3, help="HTTP loads at each rate")
    parser.add_argument(
        "--http-only", action="store_true", help="measure over HTTP only (no checks in process)"
    )
    parser.add_argument(
        "--uvicorn-workers",
        action="store_true",
        help="also measure the same app under uvicorn's own process manager",
    )
    parser.add_argument(
        "--profile", type=float, default=0.0, help="seconds of py-spy sampling under load"
    )
    parser.add_argument("--no-ceiling", action="store_true", help="skip the bare endpoint")
    args = parser.parse_args()
    rng = random.Random(3)
    persons = wanted_persons(args.persons)
    url, build = store(persons, args.documents, args.vehicles)
    people_checks = person_queries(persons, args.checks, rng)
    # Checks of their own, so that no earlier check has warmed Nitka's caches.
    side_checks = person_queries(persons, args.side_by_side + WARM_UP, random.Random(77))
    documents = document_queries(SAMPLE, rng)
    vehicles = vehicle_queries(SAMPLE, rng)
    del persons
    gc.collect()
    results: dict[str, Any] = {}
    if not args.http_only:
        results = in_process(url, people_checks, side_checks, documents, vehicles, args)
    loads = mixed(people_checks, documents, vehicles)
    http = [
        http_bench(
            url,
            loads,
            args.rate,
            args.seconds,
            n,
            args.warm_up,
            args.runs,
            profile_seconds=args.profile,
        )
        for n in args.workers
    ]
    if args.uvicorn_workers:
        http += [
            http_bench(url, loads, args.rate, args.seconds, n, args.warm_up, 1, manager="uvicorn")
            for n in args.workers
        ]
    if not args.no_ceiling:
        bodies = [orjson.dumps(q) for q in loads]
        results["ceiling"] = [
            bare_ceiling(url, bodies, n, min(args.seconds, 10), args.runs) for n in args.workers
        ]
    save(
        "screening_speed_http" if args.http_only else "screening_speed",
        {
            "sizes": {
                "persons": args.persons,
                "documents": args.documents,
                "vehicles": args.vehicles,
            },
            "store_build": build,
            **results,
            "http": http,
            "machine": machine(),
        },
    )


if __name__ == "__main__":
    main()
