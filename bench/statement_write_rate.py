"""How fast the store's statement table can take rows at all: the floor under any
ingest of call records that keeps every value as a statement (issue 23's 10M calls).

Rows shaped as a call's statements (two numbers, start, end, length, cell, IMEI:
seven a call) are built in memory first, so that nothing but the database's own
work is timed: the migrated store's ``statement`` table with its primary key and
indexes, written by the driver's fastest path (SQLite ``executemany`` in
transactions of 50,000 rows; PostgreSQL ``COPY``). The CPU seconds of the
bench's process and, for PostgreSQL, the server's work show in the wall time.

    PYTHONPATH=src:. python -m bench.statement_write_rate --rows 2000000 \
        [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from contextlib import ExitStack
from typing import Any

from bench.databases import Databases
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.tables import statement

CALL_PROPS = (
    ("caller", "phone"),
    ("receiver", "phone"),
    ("startDate", "date"),
    ("endDate", "date"),
    ("duration", "number"),
    ("description", "string"),
    ("description", "string"),
)
"""A call's statements as the CDR converter makes them (cell and IMEI as descriptions)."""
BATCH = 50_000


def call_rows(count: int, seed: int = 23) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    rows = []
    for number in range(count):
        prop, kind = CALL_PROPS[number % len(CALL_PROPS)]
        entity = f"calls-{number // len(CALL_PROPS):012d}"
        if kind == "phone":
            value = f"+380{rng.randrange(10**9):09d}"
        else:
            value = f"2024-03-{1 + number % 28:02d}T10:{number % 60:02d}:00"
        key = hashlib.sha1(f"{entity}.{prop}.{number}".encode()).hexdigest()
        rows.append((key, entity, entity, "Call", prop, kind, value, None, None, "calls",
                     "cdr.csv", "2026-12-07T00:00:00", "2026-12-07T00:00:00", "B", "2",
                     "suspect", "H1", None, None, False, None))  # fmt: skip
    return rows


def write(url: str, rows: list[tuple[Any, ...]]) -> tuple[float, float]:
    """Wall and CPU seconds to write ``rows`` into a migrated store's statement table."""
    engine = make_engine(url)
    upgrade(engine)
    columns = [c.name for c in statement.columns]
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        began, cpu = time.perf_counter(), time.process_time()
        if engine.dialect.name == "sqlite":
            marks = ", ".join("?" for _ in columns)
            for start in range(0, len(rows), BATCH):
                cursor.executemany(f"INSERT INTO statement VALUES ({marks})",
                                   rows[start : start + BATCH])  # fmt: skip
                raw.commit()
        else:
            names = ", ".join(f'"{c}"' for c in columns)
            for start in range(0, len(rows), BATCH):
                with cursor.copy(f"COPY statement ({names}) FROM STDIN") as copy:
                    for row in rows[start : start + BATCH]:
                        copy.write_row(row)
                raw.commit()
        return time.perf_counter() - began, time.process_time() - cpu
    finally:
        raw.close()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    args = parser.parse_args()
    rows = call_rows(args.rows)
    with ExitStack() as stack:
        databases = Databases(stack)
        for backend in args.backend or ["sqlite", "postgresql"]:
            with databases.fresh(backend) as url:
                wall, cpu = write(url, rows)
            rate = len(rows) / wall
            print(f"{backend}: {len(rows):,} rows in {wall:.1f} s (bench's CPU {cpu:.1f} s), "
                  f"{rate:,.0f} rows/s; 70M rows (10M calls) at this rate: "
                  f"{70e6 / rate / 60:.0f} min")  # fmt: skip


if __name__ == "__main__":
    main()
