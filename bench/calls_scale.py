"""Call records at scale (issue 23, "Speed and memory"): ingest, projection, the call
queries and Leiden through the services, networkx on the same graph beside them.

    python -m bench.calls_scale --calls 10000000 --database sqlite|postgresql [--url URL]

Steps, each timed (wall clock) with the peak resident memory of this process and its
parser process while it ran (sampled every 50 ms from ``/proc``):

1. **ingest**: the generated file (``calls_corpus``) through the path a user's
   ``nitka ingest cdr FILE --dataset calls`` takes (``services.ingest.ingest_file``:
   the access check, the converter, batches in a parser process, the statements,
   the search index and the after-write step's change records);
2. **projection**: the first query brings the calls projection up to date from the
   change sequence (more than ``REBUILD_ABOVE`` changed entities: a rebuild from
   the statements), as a user's first ``nitka calls ...`` does;
3. **common contacts** of ~50 pairs of numbers two steps apart
   (``services.analysis_queries.common_contacts``, as an analyst account that
   reads the shared dataset: need-to-know and audit apply), p50 and p95;
4. **co-location** of the busiest numbers over March 2024
   (``services.analysis_queries.colocated``), each number's time;
5. **Leiden** communities of the calls graph (``services.network_queries.communities``);
6. **networkx** on the same ties: building the graph, common neighbours of the same
   pairs, and ``louvain_communities``; co-location has no networkx counterpart, so
   the same meetings are counted in plain Python over every call held in memory
   (indexed by cell), as an analyst's script would. Nitka's answers and the others'
   are checked to agree.

Results go to ``bench/results/calls_scale_<database>_<calls>.json``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx
from sqlalchemy import Engine, func, select

from bench.calls_corpus import Population, calls_file
from bench.colocation_bench import cell_index, meetings
from bench.databases import Databases
from bench.report import machine, save
from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.analysis.network import SEED, Tie, communities, ties
from nitka.ingest.cdr import CdrConverter
from nitka.model.statement import Provenance
from nitka.services import analysis_queries, network_queries
from nitka.services.ingest import ingest_file
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.tables import analysis_call

T = TypeVar("T")
Answers = tuple[list[float], list[T]]
"""Each query's time and its answer."""
ANALYST = Actor("analyst.bench", Role.ANALYST, "u-bench", Proof.SESSION, "cli@bench", "bench")
OPERATOR = Actor.operator("bench", origin="cli@bench", purpose="bench")
MONTH = (datetime(2024, 3, 1), datetime(2024, 4, 1))
MINUTES = 15


class Memory:
    """The peak resident memory (bytes) of this process and its Python children while
    a step runs, sampled from ``/proc``."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _rss_with_children())

    @contextmanager
    def watching(self) -> Iterator[Memory]:
        self.peak = _rss_with_children()
        self._stop.clear()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()
            self.peak = max(self.peak, _rss_with_children())


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


def _rss_with_children() -> int:
    """This process and its Python children (the ingest's parser process); not the
    PostgreSQL server, whose memory is its own settings'."""
    total = _rss(os.getpid())
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"python" in command:
                total += _rss(int(child))
    return total


class Steps:
    """Each step's wall time and peak memory."""

    def __init__(self) -> None:
        self.memory = Memory()
        self.results: dict[str, dict[str, Any]] = {}

    def run(self, name: str, work: Callable[[], T], **facts: Any) -> T:
        before = _rss_with_children()
        with self.memory.watching() as watched:
            began = time.perf_counter()
            outcome = work()
            elapsed = time.perf_counter() - began
        self.results.setdefault(name, {}).update(
            {
                "seconds": round(elapsed, 3),
                "peak_rss_mib": round(watched.peak / 2**20),
                "rss_before_mib": round(before / 2**20),
                **facts,
            }
        )
        print(f"{name}: {elapsed:.2f} s, peak {watched.peak / 2**20:,.0f} MiB", flush=True)
        return outcome


def ingest(engine: Engine, path: Path) -> dict[str, Any]:
    report = ingest_file(
        engine, OPERATOR, CdrConverter(str(path), "calls"), Provenance(dataset="calls"),
        kind="cdr",
    )  # fmt: skip
    return {"records": report.records, "statements": report.statements,
            "rejected": report.rejected}  # fmt: skip


def _timed(work: Callable[[], T]) -> tuple[float, T]:
    began = time.perf_counter()
    outcome = work()
    return time.perf_counter() - began, outcome


def _quantiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_s": round(statistics.median(ordered), 6), "p95_s": round(p95, 6),
            "max_s": round(ordered[-1], 6), "queries": len(ordered)}  # fmt: skip


def pairs_two_apart(graph: nx.Graph[str], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Pairs of numbers with a contact in common: a number drawn by how much it calls,
    and one of its contacts' contacts."""
    nodes = list(graph.nodes)
    weights = [graph.degree(n, weight="weight") for n in nodes]
    found: list[tuple[str, str]] = []
    while len(found) < count:
        a = rng.choices(nodes, weights)[0]
        middle = rng.choice(list(graph[a]))
        others = [b for b in graph[middle] if b != a]
        if others:
            found.append((a, rng.choice(others)))
    return found


def _common_by_nitka(engine: Engine, asked: list[tuple[str, str]]) -> Answers[set[str]]:
    times, answers = [], []
    for a, b in asked:
        with engine.begin() as conn:
            spent, found = _timed(partial(analysis_queries.common_contacts, conn, ANALYST, [a, b]))
        times.append(spent)
        answers.append({c.number for c in found})
    return times, answers


def _common_by_networkx(graph: nx.Graph[str], asked: list[tuple[str, str]]) -> Answers[set[str]]:
    times, answers = [], []
    for a, b in asked:
        spent, found = _timed(partial(nx.common_neighbors, graph, a, b))
        times.append(spent)
        answers.append(set(found))
    return times, answers


def _colocated_by_nitka(engine: Engine, numbers: list[str]) -> Answers[dict[str, int]]:
    times, answers = [], []
    for number in numbers:
        with engine.begin() as conn:
            spent, found = _timed(
                partial(analysis_queries.colocated, conn, ANALYST, number, minutes=MINUTES,
                        since="2024-03-01", until="2024-03-31", limit=10**9)
            )  # fmt: skip
        times.append(spent)
        answers.append({m.number: m.meetings for m in found})
    return times, answers


def _calls_in_memory(engine: Engine) -> list[tuple[str, str, datetime]]:
    table = analysis_call.c
    with engine.connect() as conn:
        query = select(table.caller, table.cell, table.start).where(table.cell.is_not(None))
        return [(caller, cell, start) for caller, cell, start in conn.execute(query)]


def _own_calls(engine: Engine, numbers: list[str]) -> list[int]:
    table = analysis_call.c
    with engine.connect() as conn:
        return [
            conn.execute(
                select(func.count()).select_from(analysis_call).where(table.caller == number)
                .where(table.start >= MONTH[0]).where(table.start < MONTH[1])
            ).scalar_one()
            for number in numbers
        ]  # fmt: skip


def _leiden(engine: Engine) -> int:
    with engine.begin() as conn:
        drawn = network_queries.Drawn("calls")
        return len(network_queries.communities(conn, ANALYST, drawn))


def _louvain(graph: nx.Graph[str]) -> int:
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    return sum(1 for c in found if len(c) >= 3)


def _first_query(engine: Engine) -> None:
    with engine.begin() as conn:
        analysis_queries.projection_rejects(conn, ANALYST, "calls")


def run(url: str, calls: int, pairs: int, colocations: int, seed: int) -> dict[str, Any]:
    path = calls_file(calls)
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        add_account(conn, ANALYST.name, Role.ANALYST, unit_id="u-bench")
    steps = Steps()
    results = steps.results
    results["file"] = {"path": path.name, "bytes": path.stat().st_size}
    results["ingest"] = {}
    results["ingest"].update(steps.run("ingest", partial(ingest, engine, path)))
    steps.run("projection", partial(_first_query, engine))
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(analysis_call)).scalar_one()
        graph = steps.run("networkx_graph", partial(_nx_graph, ties(conn, "calls", None)))
    results["projection"]["rows"] = rows
    results["ties"] = {"edges": graph.number_of_edges(), "parties": graph.number_of_nodes()}
    asked = pairs_two_apart(graph, pairs, random.Random(seed))

    times, common = steps.run("common_contacts", partial(_common_by_nitka, engine, asked))
    results["common_contacts"].update(_quantiles(times))
    times, expected = steps.run("networkx_common", partial(_common_by_networkx, graph, asked))
    results["networkx_common"].update(_quantiles(times))
    assert common == expected, "common contacts differ from networkx's"

    busiest = sorted(graph.nodes, key=lambda n: -graph.degree(n, weight="weight"))
    numbers = busiest[:colocations]
    times, met = steps.run("colocation", partial(_colocated_by_nitka, engine, numbers))
    results["colocation"].update(_quantiles(times))
    results["colocation"]["own_calls"] = _own_calls(engine, numbers)
    results["colocation"]["met"] = [len(m) for m in met]
    in_memory = steps.run("python_calls_loaded", partial(_calls_in_memory, engine))
    cells = steps.run("python_cell_index", partial(cell_index, in_memory))
    python_times = []
    for number, nitka_found in zip(numbers, met, strict=True):
        spent, counted = _timed(partial(meetings, in_memory, cells, number, MINUTES, *MONTH))
        python_times.append(spent)
        assert counted == nitka_found, f"co-location of {number} differs from Python's"
    results["python_colocation"] = _quantiles(python_times)
    del in_memory, cells

    groups = steps.run("leiden", partial(_leiden, engine))
    results["leiden"]["communities"] = groups
    groups = steps.run("networkx_louvain", partial(_louvain, graph))
    results["networkx_louvain"]["communities"] = groups
    engine.dispose()
    return results


def ratios(results: dict[str, Any]) -> dict[str, float]:
    """How many times faster Nitka is than networkx (or plain Python), query by query;
    below 1, slower."""
    return {
        "common_contacts_p95": results["networkx_common"]["p95_s"]
        / max(results["common_contacts"]["p95_s"], 1e-9),
        "common_contacts_with_graph_build": (
            results["networkx_graph"]["seconds"] + results["networkx_common"]["p95_s"]
        ) / max(results["common_contacts"]["p95_s"], 1e-9),
        "colocation_p50": results["python_colocation"]["p50_s"]
        / max(results["colocation"]["p50_s"], 1e-9),
        "colocation_with_load_and_index": (
            results["python_calls_loaded"]["seconds"] + results["python_cell_index"]["seconds"]
            + results["python_colocation"]["p50_s"]
        ) / max(results["colocation"]["p50_s"], 1e-9),
        "communities": results["networkx_louvain"]["seconds"]
        / max(results["leiden"]["seconds"], 1e-9),
    }  # fmt: skip


def leiden_only(edges: int, networkx_too: bool) -> dict[str, Any]:
    """Leiden as the service runs it (``network.communities``) on a calls graph of
    ``edges`` ties drawn from the corpus's population (heavy-tailed, about six ties a
    number), without the store: what 10M calls give is fewer ties than 10M."""
    rng = random.Random(2024)
    people = Population(max(1_000, edges // 3), 1, rng)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    began = time.perf_counter()
    while len(counts) < edges:
        a = people.pick()
        b = people.callee(a)
        counts[(a, b) if a < b else (b, a)] += 1
    moment = datetime(2024, 3, 1)
    numbers = people.numbers
    found = sorted(
        (Tie(numbers[a], numbers[b], count, moment, moment) for (a, b), count in counts.items()),
        key=lambda t: (t.left, t.right),
    )
    del counts, people
    made = time.perf_counter() - began
    steps = Steps()
    parties = {t.left for t in found} | {t.right for t in found}
    steps.results["graph"] = {"edges": len(found), "parties": len(parties),
                              "seconds_to_generate": round(made, 1)}  # fmt: skip
    del parties
    groups = steps.run("leiden", partial(_communities, found))
    steps.results["leiden"]["communities"] = groups
    if networkx_too:
        g = steps.run("networkx_graph", partial(_nx_graph, found))
        found.clear()
        louvain = steps.run("networkx_louvain", partial(_louvain, g))
        steps.results["networkx_louvain"]["communities"] = louvain
    return steps.results


def _communities(found: Sequence[Tie]) -> int:
    return len(communities(found))


def _nx_graph(found: Sequence[Tie]) -> nx.Graph[str]:
    made: nx.Graph[str] = nx.Graph()
    made.add_weighted_edges_from((t.left, t.right, t.count) for t in found)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", default="", help="an empty database to use instead")
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--colocations", type=int, default=5)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--leiden-edges", type=int, default=0,
                        help="measure only Leiden (and networkx's Louvain with --networkx) on "
                             "a generated graph of this many ties")  # fmt: skip
    parser.add_argument("--networkx", action="store_true")
    args = parser.parse_args()
    started = datetime.now().isoformat(timespec="seconds")
    if args.leiden_edges:
        found = leiden_only(args.leiden_edges, args.networkx)
        print(save(f"calls_scale_leiden_{args.leiden_edges}",
                   {"started": started, "machine": machine(), "results": found}))  # fmt: skip
        return
    with ExitStack() as stack:
        url = args.url or stack.enter_context(Databases(stack).fresh(args.database))
        results = run(url, args.calls, args.pairs, args.colocations, args.seed)
    results["ratios"] = {k: round(v, 2) for k, v in ratios(results).items()}
    results["ingest_and_projection_s"] = round(
        results["ingest"]["seconds"] + results["projection"]["seconds"], 1
    )
    saved = save(f"calls_scale_{args.database}_{args.calls}",
                 {"started": started, "calls": args.calls, "database": args.database,
                  "machine": machine(), "results": results})  # fmt: skip
    print(saved)


if __name__ == "__main__":
    main()
