"""Ingest speed: Nitka's statement store against nomenklatura's SQLStore, same input, same run.

Input: FtM statements (JSON lines) made from real sanctions and notice data,
replicated with changed ids (see ``corpus.py``). Nitka ingests them through
its real path (``nitka ingest ftm``: parsing, validation, police fields,
upsert, search index, progress marks). nomenklatura reads the same file with
FtM's statement reader and writes it with ``SQLStore.writer()``.

    python -m bench.ingest_bench --statements 1000000 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from followthemoney.dataset import Dataset
from followthemoney.statement.serialize import read_json_statements
from nomenklatura.resolver import Linker
from nomenklatura.store.sql import SQLStore

from bench.corpus import statements_file
from bench.databases import Databases
from bench.report import machine, save
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.reader import count_statements


def run_nitka(url: str, path: Path) -> tuple[float, int]:
    engine = make_engine(url)
    upgrade(engine)
    start = time.perf_counter()
    ingest(engine, FtMConverter(str(path), "bench"), Provenance(dataset="bench"))
    elapsed = time.perf_counter() - start
    with engine.connect() as conn:
        count = count_statements(conn)
    engine.dispose()
    return elapsed, count


def run_nomenklatura(url: str, path: Path) -> tuple[float, int]:
    from sqlalchemy import create_engine, func, select

    engine = create_engine(url.replace("postgresql+psycopg", "postgresql+psycopg"))
    dataset = Dataset.make({"name": "bench", "title": "bench"})
    store: SQLStore[Any, Any] = SQLStore(dataset, Linker({}), engine)
    start = time.perf_counter()
    with path.open("rb") as fh, store.writer() as writer:
        for stmt in read_json_statements(fh):
            writer.add_statement(stmt)
    elapsed = time.perf_counter() - start
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(store.table)).scalar_one()
    engine.dispose()
    return elapsed, int(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    path = statements_file(args.statements)
    results: dict[str, dict[str, list[float]]] = {}
    with ExitStack() as stack:
        databases = Databases(stack)
        for run in range(args.runs):
            for backend in args.backends.split(","):
                for name, runner in (("nitka", run_nitka), ("nomenklatura", run_nomenklatura)):
                    with databases.fresh(backend) as url:
                        elapsed, count = runner(url, path)
                    rate = count / elapsed
                    results.setdefault(backend, {}).setdefault(name, []).append(rate)
                    print(
                        f"run {run + 1} {backend:10} {name:12} {count:,} statements "
                        f"in {elapsed:6.1f} s = {rate:9,.0f}/s",
                        flush=True,
                    )
    summary = {
        backend: {name: statistics.median(rates) for name, rates in by_name.items()}
        for backend, by_name in results.items()
    }
    for backend, medians in summary.items():
        ratio = medians["nitka"] / medians["nomenklatura"]
        print(
            f"{backend}: nitka {medians['nitka']:,.0f}/s, nomenklatura "
            f"{medians['nomenklatura']:,.0f}/s, ratio {ratio:.2f}x (medians of {args.runs})"
        )
    save(
        "ingest",
        {"statements": args.statements, "runs": results, "medians": summary, "machine": machine()},
    )


if __name__ == "__main__":
    main()
