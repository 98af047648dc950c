"""Issue 26, point 4: an offline copy of 1M list entries pulled, and 10,000 changes synced.

The team server's store holds 1,000,000 SYNTHETIC stolen or lost passports
(``nitka.screen.synthetic.documents``, as ``nitka generate documents`` makes
them) ingested through ``nitka ingest ftm`` as the list ``sltd``; it is built
once per size in ``bench/results/`` and reused. ``nitka serve --list sltd``
serves it; a laptop's copy is pulled over HTTP into a new SQLite file
(``nitka.offline.transfer.pull``: signed pages, each checked, written with
their search rows). Then the server makes 10,000 changes (withdrawals,
reinstatements, erasures and new entries) and the copy syncs them
(``transfer.sync``). Targets: pull <= 120 s, sync <= 5 s.

    python -m bench.offline_speed --entries 1000000 --changes 10000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import func, select

from bench.report import RESULTS, machine, save
from bench.screening_store import nitka
from nitka.access.accounts import add_account, create_token, find_account
from nitka.access.retention import erase
from nitka.effects import ChangeKind, after_write
from nitka.model.statement import Provenance, statements_from_entity
from nitka.offline import transfer
from nitka.screen.synthetic import documents
from nitka.screen.withdrawals import WithdrawalKind, record
from nitka.store.db import make_engine
from nitka.store.tables import statement
from nitka.store.writer import load_canonical_map, write_statements

LIST = "sltd"


def server_store(entries: int) -> tuple[str, dict[str, Any]]:
    """The server's store of ``entries`` passports, built on the first call for this size."""
    path = RESULTS / f"offline_store_{entries}.db"
    report_path = RESULTS / f"offline_store_{entries}.json"
    url = f"sqlite:///{path}"
    if path.exists() and report_path.exists():
        nitka(url, "init")
        return url, json.loads(report_path.read_text())
    RESULTS.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    nitka(url, "init")
    with tempfile.TemporaryDirectory(prefix="nitka-bench-", dir=RESULTS) as folder:
        file = Path(folder) / "sltd.jsonl"
        with file.open("wb") as fh:
            for proxy in documents(entries, seed=26):
                fh.write(orjson.dumps(proxy.to_dict()) + b"\n")
        start = time.perf_counter()
        nitka(url, "ingest", "ftm", str(file), "--dataset", LIST)
        built = time.perf_counter() - start
    report = {"entries": entries, "ingest_s": round(built, 1)}
    report_path.write_text(json.dumps(report))
    print(f"server store: {entries:,} entries ingested in {built:,.0f} s", flush=True)
    return url, report


def token_for(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            if find_account(conn, "officer.bench") is None:
                add_account(conn, "officer.bench", "investigator")
            return create_token(conn, "officer.bench", label="offline bench")
    finally:
        engine.dispose()


def serve(url: str, port: int, keys: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NITKA_DATABASE_URL": url,
        "NITKA_KEYS_DIR": str(keys),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    command = [sys.executable, "-m", "nitka.cli.main", "serve", "--port", str(port)]
    process = subprocess.Popen([*command, "--list", LIST], env=env, stderr=subprocess.DEVNULL)
    import httpx

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not come up")


def cpu_seconds(pid: int) -> float:
    """The CPU time so far (user and system) of a process and its children (the
    server's workers): what the work cost, whatever else the shared machine did."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def cpu_now() -> float:
    return time.process_time()


def make_changes(url: str, count: int) -> dict[str, int]:
    """``count`` change records on the server: withdrawals mostly, some reinstated,
    some entries erased, some new (each its own write, as officers make them)."""
    engine = make_engine(url)
    made = {"withdrawn": 0, "reinstated": 0, "erased": 0, "added": 0}
    try:
        with engine.connect() as conn:
            ids = list(
                conn.execute(
                    select(statement.c.canonical_id).distinct().order_by(statement.c.canonical_id)
                    .limit(count)
                ).scalars()
            )  # fmt: skip
        plan = (
            ["withdrawn"] * (count * 7 // 10)
            + ["reinstated"] * (count // 10)
            + ["erased"] * (count // 10)
        )
        plan += ["added"] * (count - len(plan))
        withdrawn: list[str] = []
        new = iter(documents(count, seed=27))
        with engine.begin() as conn:
            for position, kind in enumerate(plan):
                entity_id = ids[position]
                if kind == "withdrawn":
                    record(conn, WithdrawalKind.WITHDRAW, entity_id, LIST, user="b", reason="b")
                    withdrawn.append(entity_id)
                elif kind == "reinstated":
                    back = withdrawn[position % len(withdrawn)]
                    record(conn, WithdrawalKind.REINSTATE, back, LIST, user="b", reason="b")
                elif kind == "erased":
                    erase(conn, entity_id)
                else:
                    proxy = next(new)
                    proxy.id = f"bench-new-{position}"
                    stmts = list(statements_from_entity(proxy, Provenance(LIST), "bench:1"))
                    touched = write_statements(conn, stmts, load_canonical_map(conn))
                    after_write(conn, ChangeKind.STATEMENTS, sorted(touched), datasets=[LIST])
                made[kind] += 1
    finally:
        engine.dispose()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8726)
    args = parser.parse_args()
    url, built = server_store(args.entries)
    token = token_for(url)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="nitka-offline-", dir=RESULTS) as folder:
        server = serve(url, args.port, Path(folder) / "keys")
        try:
            copy = Path(folder) / "copy.db"
            start, mine, theirs = time.perf_counter(), cpu_now(), cpu_seconds(server.pid)
            pulled = transfer.pull(f"http://127.0.0.1:{args.port}", token, copy)
            pull_s = time.perf_counter() - start
            pull_cpu = (cpu_now() - mine, cpu_seconds(server.pid) - theirs)
            print(
                f"pull: {pulled.entities:,} entries, {pulled.statements:,} statements "
                f"in {pull_s:,.1f} s ({copy.stat().st_size / 2**20:,.0f} MiB); CPU: laptop "
                f"{pull_cpu[0]:,.1f} s, server {pull_cpu[1]:,.1f} s",
                flush=True,
            )
            start = time.perf_counter()
            made = make_changes(url, args.changes)
            changes_s = time.perf_counter() - start
            engine = make_engine(f"sqlite:///{copy}")
            try:
                start, mine, theirs = time.perf_counter(), cpu_now(), cpu_seconds(server.pid)
                synced = transfer.sync(engine, token)
                sync_s = time.perf_counter() - start
                sync_cpu = (cpu_now() - mine, cpu_seconds(server.pid) - theirs)
                with engine.connect() as conn:
                    left = conn.execute(
                        select(func.count(func.distinct(statement.c.canonical_id)))
                    ).scalar_one()
            finally:
                engine.dispose()
            print(
                f"sync: {sum(made.values()):,} changes ({made}) made in {changes_s:,.1f} s, "
                f"taken in in {sync_s:,.2f} s ({synced.entities:,} entities); "
                f"the copy holds {left:,} entries; CPU: laptop {sync_cpu[0]:,.2f} s, "
                f"server {sync_cpu[1]:,.2f} s",
                flush=True,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    result = {
        "machine": machine(),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "server_store": built,
        "pull": {
            "entries": pulled.entities,
            "statements": pulled.statements,
            "seconds": round(pull_s, 1),
            "cpu_laptop_s": round(pull_cpu[0], 1),
            "cpu_server_s": round(pull_cpu[1], 1),
            "target_s": 120,
        },
        "sync": {
            "changes": made,
            "entities": synced.entities,
            "seconds": round(sync_s, 2),
            "cpu_laptop_s": round(sync_cpu[0], 2),
            "cpu_server_s": round(sync_cpu[1], 2),
            "target_s": 5,
            "copy_entries_after": left,
        },
    }
    print(f"saved {save(f'offline_speed_{args.entries}_{args.changes}', result)}")


if __name__ == "__main__":
    main()
