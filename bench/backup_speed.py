"""Backup and restore of a store with 1M entities, on SQLite and PostgreSQL.

The store is the search benchmark's (``bench/search_bench.py``): 1M ``Person``
entities with real Ukrainian and Russian name parts, half in Cyrillic, ingested
through ``nitka.ingest`` (2M statements and their search rows). The SQLite store
is cached in bench/results once built; the PostgreSQL one is ingested each run.
``nitka backup`` and ``nitka restore`` then run as a user runs them, as
processes of their own, timed by wall clock, with the peak memory (maximum
resident set) of the command and the tools it starts (pg_dump, pg_restore; not
the PostgreSQL server's).

    python -m bench.backup_speed --entities 1000000
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.corpus import CACHE
from bench.databases import Databases
from bench.report import machine, save
from bench.search_bench import entities_file, people
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent


def build(url: str, path: Path) -> float:
    engine = make_engine(url)
    upgrade(engine)
    start = time.perf_counter()
    ingest(engine, FtMConverter(str(path), "people"), Provenance(dataset="people"),
           batch_size=20_000)  # fmt: skip
    engine.dispose()
    return time.perf_counter() - start


def sqlite_store(entities: int, path: Path) -> tuple[Path, float | None]:
    """The cached SQLite store of ``entities`` people, built if missing."""
    cached = CACHE / f"backup_store_{entities}.db"
    if cached.exists():
        return cached, None
    building = cached.with_suffix(".building")
    building.unlink(missing_ok=True)
    seconds = build(f"sqlite:///{building}", path)
    building.replace(cached)
    return cached, seconds


_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def nitka(url: str, *args: str) -> dict[str, float]:
    """Run a ``nitka`` command in a process of its own: wall seconds, peak MiB."""
    env = dict(os.environ, NITKA_DATABASE_URL=url, NITKA_USER="bench",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, sys.executable, "-m", "nitka.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds, peak_kib, code = done.stdout.split()[-3:]
    if code != "0":
        raise SystemExit(f"nitka {' '.join(args)} failed: {done.stderr}")
    return {"seconds": float(seconds), "peak_mib": int(peak_kib) / 1024}


def measure(backend: str, url: str, target: str, folder: Path) -> dict[str, Any]:
    out = folder / f"{backend}.nitka-backup"
    backed_up = nitka(url, "backup", str(out))
    restored = nitka(target, "restore", str(out))
    forced = nitka(target, "restore", str(out), "--force")
    return {
        "backup": backed_up,
        "restore_into_empty": restored,
        "restore_force_over_full": forced,
        "backup_bytes": out.stat().st_size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    path = entities_file(people(args.entities))
    results: dict[str, Any] = {}
    with ExitStack() as stack:
        databases = Databases(stack)
        folder = Path(stack.enter_context(_folder()))
        for backend in args.backends.split(","):
            with databases.fresh(backend) as url, databases.fresh(backend) as target:
                if backend == "sqlite":
                    cached, seconds = sqlite_store(args.entities, path)
                    shutil.copyfile(cached, url.removeprefix("sqlite:///"))
                else:
                    seconds = build(url, path)
                result = measure(backend, url, target, folder)
                result["build_seconds"] = seconds
                result["store_bytes"] = _store_bytes(url)
            results[backend] = result
            print(_line(backend, args.entities, result), flush=True)
    save(
        "backup_speed",
        {
            "entities": args.entities,
            "results": results,
            "machine": machine(),
            "load": os.getloadavg(),
        },
    )


def _folder() -> Any:
    import tempfile

    return tempfile.TemporaryDirectory(prefix="nitka-backup-bench-", dir=CACHE)


def _store_bytes(url: str) -> int:
    if url.startswith("sqlite"):
        return Path(url.removeprefix("sqlite:///")).stat().st_size
    engine = make_engine(url)
    with engine.connect() as conn:
        size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()
    engine.dispose()
    return int(size)


def _line(backend: str, entities: int, r: dict[str, Any]) -> str:
    def part(name: str) -> str:
        return f"{r[name]['seconds']:.1f} s, {r[name]['peak_mib']:.0f} MiB"

    return (
        f"{backend:10} {entities:,} entities (store {r['store_bytes'] / 2**20:,.0f} MiB, "
        f"backup {r['backup_bytes'] / 2**20:,.0f} MiB): backup {part('backup')}; restore into "
        f"an empty store {part('restore_into_empty')}; over a full one "
        f"{part('restore_force_over_full')}"
    )


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
