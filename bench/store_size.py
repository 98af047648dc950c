"""Disk per statement: a store's size after ``nitka ingest ftm``, on each backend.

The sizing of docs/operations.md multiplies a country's statements by these bytes.
Input: the ingest benchmark's statements (``corpus.py``: real sanctions and
notice data replicated with changed ids), through the real ingest (statements,
search index, lookup keys, progress marks). SQLite: the file after a WAL
checkpoint; PostgreSQL: ``pg_database_size`` after ``VACUUM``, less the size of
an empty migrated store. Then checks against the ingested entities as a watch
list, one request each with its check log row, owner notices and audit record
(``Screener.screen``, as ``nitka serve`` writes them): the bytes a check adds.

    python -m bench.store_size --statements 200000 --checks 20000
"""

from __future__ import annotations

import argparse
import time
from contextlib import ExitStack
from pathlib import Path

import orjson
from sqlalchemy import Engine, text

from bench.corpus import statements_file
from bench.databases import Databases
from bench.report import machine, save
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.screen.audit import CheckContext
from nitka.screen.service import Screener
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.reader import count_statements


def size_of(engine: Engine, url: str) -> int:
    if url.startswith("sqlite"):
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM")
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def names_in(path: Path, limit: int = 2_000) -> list[str]:
    """Persons' names of the input, to check (about half of the checks hit)."""
    found: list[str] = []
    with path.open("rb") as fh:
        for line in fh:
            row = orjson.loads(line)
            if row.get("schema") == "Person" and row.get("prop") == "name":
                found.append(str(row["value"]))
                if len(found) >= limit:
                    break
    return found


def measure(url: str, path: Path, checks: int) -> dict[str, float]:
    engine = make_engine(url)
    upgrade(engine)
    empty = size_of(engine, url)
    start = time.perf_counter()
    ingest(engine, FtMConverter(str(path), "bench"), Provenance(dataset="bench"))
    elapsed = time.perf_counter() - start
    with engine.connect() as conn:
        statements = count_statements(conn)
    full = size_of(engine, url)
    screener = Screener(engine, ["bench"])
    context = CheckContext(user="bench", purpose="sizing benchmark", channel="bench")
    names = names_in(path)
    start = time.perf_counter()
    for number in range(checks):
        name = names[number % len(names)] if number % 2 and names else f"Traveller {number}"
        screener.screen([{"schema": "Person", "properties": {"name": [name]}}], context)
    checked = time.perf_counter() - start
    after_checks = size_of(engine, url)
    engine.dispose()
    return {
        "checks": checks,
        "check_seconds": checked,
        "bytes_per_check": (after_checks - full) / checks if checks else 0.0,
        "statements": statements,
        "seconds": elapsed,
        "empty_bytes": empty,
        "bytes": full,
        "bytes_per_statement": (full - empty) / statements,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=200_000)
    parser.add_argument("--checks", type=int, default=20_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    path = statements_file(args.statements)
    results: dict[str, dict[str, float]] = {}
    with ExitStack() as stack:
        databases = Databases(stack)
        for backend in args.backends.split(","):
            with databases.fresh(backend) as url:
                found = measure(url, path, args.checks)
            results[backend] = found
            print(
                f"{backend:10} {found['statements']:,.0f} statements in {found['seconds']:.1f} s: "
                f"{found['bytes'] / 2**20:,.1f} MiB, {found['bytes_per_statement']:,.0f} bytes "
                f"a statement; {found['checks']:,.0f} checks in {found['check_seconds']:.1f} s, "
                f"{found['bytes_per_check']:,.0f} bytes a check",
                flush=True,
            )
    save("store_size", {"statements": args.statements, "results": results, "machine": machine()})


if __name__ == "__main__":
    main()
