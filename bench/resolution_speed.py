"""Entity resolution speed and memory at scale (issue 22): a million synthetic persons.

The issue's target: 1,000,000 person records (real name parts, about 30% of
the persons with one to three more records in another script or spelling,
known truth) deduplicated in at most 3 minutes with a peak memory of at most
8 GiB on the DuckDB engine, on two cores, one run. Contenders on the same file,
each a process of its own (its wall time and peak resident memory measured by
``resolution_quality.timed``), each scored against the truth:

``nitka``
    ``nitka resolve file IN --out OUT``, as an operator runs it.
``splink-default``
    Splink's tutorial model for people on the raw names (``resolution_quality``).
``nitka-spark``
    ``nitka resolve file IN --out OUT --engine spark`` (Spark, ``local[2]``),
    where the command has the option; otherwise skipped with a message.

    python -m bench.resolution_speed --records 1000000
    python -m bench.resolution_speed --records 100000 --repeat 3 --only nitka

The machine is often shared: ``--repeat`` runs each contender several times
and reports the median time and peak memory (and the runs themselves).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any

from bench.corpus import CACHE
from bench.report import machine, save
from bench.resolution_corpus import cached, read_truth, synthetic
from bench.resolution_quality import (
    names_of,
    read_clusters,
    run_nitka,
    run_splink_default,
    score,
    timed,
)

Run = Callable[[Path, Path], dict[str, float]]
SPARK = "nitka-spark"


def _nitka() -> str:
    return str(Path(sys.executable).parent / "nitka")


def has_engine_option() -> bool:
    """Whether ``nitka resolve file`` takes ``--engine`` (the Spark engine's branch)."""
    done = subprocess.run(
        [_nitka(), "resolve", "file", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    return "--engine" in done.stdout


def run_spark(source: Path, out: Path) -> dict[str, float]:
    return timed([_nitka(), "resolve", "file", str(source), "--out", str(out),
                  "--engine", "spark"])  # fmt: skip


CONTENDERS: dict[str, Run] = {
    "nitka": run_nitka,
    "splink-default": run_splink_default,
    SPARK: run_spark,
}


def measure(
    name: str, run: Run, source: Path, truth: dict[str, str], names: dict[str, str], repeat: int
) -> dict[str, Any]:
    """A contender's median time and peak memory over ``repeat`` runs, and the quality
    of its last run's clusters."""
    out = CACHE / f"{source.stem}_{name}_clusters.csv"
    runs = []
    for _ in range(repeat):
        out.unlink(missing_ok=True)
        runs.append(run(source, out))
        print(name, runs[-1], flush=True)
    return {
        "seconds": median(r["seconds"] for r in runs),
        "peak_mib": median(r["peak_mib"] for r in runs),
        "runs": runs,
        **score(truth, read_clusters(out), names),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000, help="synthetic records")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each contender")
    parser.add_argument(
        "--only", action="append", choices=sorted(CONTENDERS), help="these contenders alone"
    )
    args = parser.parse_args()
    source, truth_path = cached(
        f"resolution_synthetic_{args.records}", lambda: synthetic(args.records)
    )
    truth, names = read_truth(truth_path), names_of(source)
    results: dict[str, Any] = {"records": len(truth), "persons": len(set(truth.values()))}
    for name in args.only or list(CONTENDERS):
        if name == SPARK and not has_engine_option():
            print(f"{SPARK}: skipped, `nitka resolve file` has no --engine option here")
            results[name] = {"skipped": "no --engine option"}
            continue
        results[name] = measure(name, CONTENDERS[name], source, truth, names, args.repeat)
        summary = {k: v for k, v in results[name].items() if k not in ("runs", "sizes")}
        print(name, summary, flush=True)
    save(f"resolution_speed_{args.records}", {"source": source.name, **results,
                                               "machine": machine()})  # fmt: skip


if __name__ == "__main__":
    main()
