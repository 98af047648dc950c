"""Run every benchmark with its default sizes: ``make bench`` (or ``python -m bench.run``).

Results go to ``bench/results/*.json``; copy the figures into docs/benchmarks.md.
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = (
    "bench.ingest_bench",
    "bench.search_bench",
    "bench.match_quality",
    "bench.screening_quality",
    "bench.screening_speed",
    "bench.exchange_bench",
    "bench.workstation_bench",
    "bench.audit_lookup",
)


def main() -> None:
    for module in BENCHMARKS:
        print(f"== {module}", flush=True)
        subprocess.run([sys.executable, "-m", module, *sys.argv[1:]], check=True)


if __name__ == "__main__":
    main()
