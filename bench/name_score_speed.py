"""The linkage's name score (``model.NAME_SCORE``) in pairs per second, against an
earlier revision's, on the same candidate pairs in one run (issue 22).

The pairs are those DuckDB gives the score in a link of the speed bench's
synthetic records (``bench.resolution_corpus.synthetic``), as it gives them:
vectors of 2,048 rows, a pair again for each level of the comparison it
reaches. They are captured once and kept in ``bench/results``.

The earlier revision's matcher (``src/nitka/match/names.py`` at ``--against``)
is loaded from git beside the current one, with the vector function as that
revision had it. Each run starts as in a link's main process: the dictionaries
loaded, the matcher's caches empty and no word romanised yet (the preparing
processes romanised them); the current code is given the words' keys as the
preparing processes send them (``match.names.known_keys``), the earlier
revision romanises them again. ``--warm-words`` has every word romanised
before each run instead. The runs alternate; medians are reported.

    python -m bench.name_score_speed --records 100000 --against main --repeat 3
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from statistics import median
from typing import Any

import orjson
import pyarrow as pa

from bench.corpus import CACHE
from bench.report import machine, save
from bench.resolution_corpus import cached, synthetic
from nitka.match.names import forget_known_keys, known_keys
from nitka.normalise import names as normalise_names
from nitka.resolve import linkage
from nitka.resolve.files import resolve_csv

LISTS = pa.list_(pa.string())
VECTOR = 2048
Score = Callable[[pa.Array, pa.Array], pa.Array]


def captured(records: int) -> list[list[list[str]]]:
    """The name lists DuckDB scored in a link of ``records`` synthetic records."""
    path = CACHE / f"name_score_pairs_{records}.json"
    if path.exists():
        return list(orjson.loads(path.read_bytes()))
    source, _ = cached(f"resolution_synthetic_{records}", lambda: synthetic(records))
    seen: list[list[list[str]]] = []
    scoring = linkage._best_score

    def capturing(left: pa.Array, right: pa.Array) -> pa.Array:
        seen.extend([a, b] for a, b in zip(left.to_pylist(), right.to_pylist(), strict=True))
        return scoring(left, right)

    linkage._best_score = capturing
    try:
        resolve_csv(source, CACHE / f"name_score_clusters_{records}.csv")
    finally:
        linkage._best_score = scoring
    path.write_bytes(orjson.dumps(seen))
    return seen


def earlier(revision: str) -> tuple[Score, Callable[[], None]]:
    """The vector function and a cache reset of ``revision``'s matcher."""
    root = Path(__file__).resolve().parents[1]
    source = subprocess.run(
        ["git", "show", f"{revision}:src/nitka/match/names.py"],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    module = types.ModuleType("earlier_names")
    module.__dict__["__name__"] = "earlier_names"
    sys.modules["earlier_names"] = module
    exec(compile(source, f"{revision}:names.py", "exec"), module.__dict__)
    name_score: Callable[[str, str], float] = module.name_score

    @lru_cache(maxsize=200_000)
    def best(left: tuple[str, ...], right: tuple[str, ...]) -> float:
        return max((name_score(a, b) for a in left for b in right), default=0.0)

    def score(left: pa.Array, right: pa.Array) -> pa.Array:
        pairs = zip(left.to_pylist(), right.to_pylist(), strict=True)
        return pa.array([best(tuple(a), tuple(b)) for a, b in pairs], pa.float64())

    def reset() -> None:
        best.cache_clear()
        _clear(module)

    return score, reset


def current() -> tuple[Score, Callable[[], None]]:
    from nitka.match import names

    def reset() -> None:
        linkage._pair_score.cache_clear()
        forget_known_keys()
        _clear(names)

    return linkage._best_score, reset


def _clear(module: types.ModuleType) -> None:
    """Empty a matcher module's caches, whichever that revision has."""
    for name in ("name_parts", "_prepared", "word_part"):
        function: Any = getattr(module, name, None)
        if hasattr(function, "cache_clear"):
            function.cache_clear()
    module._compared.clear()


def timed(score: Score, vectors: list[tuple[pa.Array, pa.Array]]) -> tuple[float, float, list[Any]]:
    """Wall and CPU seconds of scoring every vector, and the scores."""
    start, cpu = time.perf_counter(), time.thread_time()
    found = [score(left, right) for left, right in vectors]
    return time.perf_counter() - start, time.thread_time() - cpu, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000, help="synthetic records linked")
    parser.add_argument("--against", default="main", help="the earlier revision")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warm-words", action="store_true", help="words romanised before")
    args = parser.parse_args()
    rows = captured(args.records)
    left = pa.array([r[0] for r in rows], LISTS)
    right = pa.array([r[1] for r in rows], LISTS)
    vectors = [(left.slice(i, VECTOR), right.slice(i, VECTOR)) for i in range(0, len(rows), VECTOR)]
    contenders = {args.against: earlier(args.against), "current": current()}
    names = {n for r in rows for side in r for n in side}
    sent = {w: normalise_names.word_keys(w) for n in names for w in normalise_names.words(n)}
    times: dict[str, list[float]] = {name: [] for name in contenders}
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    results: dict[str, list[Any]] = {}
    for _ in range(args.repeat):
        for name, (score, reset) in contenders.items():
            reset()
            if args.warm_words:
                for word in sent:
                    normalise_names.word_keys(word)
            else:
                normalise_names.word_keys.cache_clear()
                if name == "current":
                    known_keys(sent)
            seconds, cpu_seconds, results[name] = timed(score, vectors)
            times[name].append(seconds)
            cpu[name].append(cpu_seconds)
            print(f"{name}: {seconds:.2f} s ({cpu_seconds:.2f} s CPU)", flush=True)
    same = [a.to_pylist() for a in results[args.against]] == [
        a.to_pylist() for a in results["current"]
    ]
    report = {
        "records": args.records,
        "rows": len(rows),
        "distinct_pairs": len({(tuple(a), tuple(b)) for a, b in rows}),
        "distinct_names": len(names),
        "same_scores": same,
        "words": "romanised before" if args.warm_words else "as in a link",
        **{
            name: {
                "median_s": median(t),
                "pairs_per_s": len(rows) / median(t),
                "median_cpu_s": median(cpu[name]),
                "pairs_per_cpu_s": len(rows) / median(cpu[name]),
                "runs": t,
                "cpu_runs": cpu[name],
            }
            for name, t in times.items()
        },
    }
    print(report)
    save(f"name_score_speed_{args.records}", {**report, "machine": machine()})


if __name__ == "__main__":
    main()
