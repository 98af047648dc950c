"""Co-location of one number over a month (``nitka calls colocated``) on generated
calls, beside a pure-Python answer over the same calls held in memory.

The calls are written straight into the projection's table (``analysis_call``; one
scope, no statements): the bench measures the query, not the ingest. Numbers call
from a home cell mostly, so that a number meets its neighbours. The pure-Python
side indexes every call by cell in memory first (its load and index time are
reported apart) and must give the same meetings.

    python -m bench.colocation_bench --calls 1000000 [--url sqlite:///...]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

import orjson
from sqlalchemy import insert, select

from nitka.analysis.colocation import colocated
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.tables import analysis_call, analysis_scope

START = datetime(2024, 1, 1)
DAYS = 30
PAGE = 50_000


def generate(count: int, numbers: int, cells: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    home = [rng.randrange(cells) for _ in range(numbers)]
    rows: list[dict[str, object]] = []
    for n in range(count):
        caller = rng.randrange(numbers)
        cell = home[caller] if rng.random() < 0.8 else rng.randrange(cells)
        start = START + timedelta(seconds=rng.randrange(DAYS * 86_400))
        rows.append({"id": f"g-{n}", "caller": str(caller), "callee": str(rng.randrange(numbers)),
                     "start": start, "duration": 60, "cell": str(cell), "scope": 1})  # fmt: skip
    return rows


Call = tuple[str, str, datetime]
"""A call as the pure-Python side holds it: caller, cell, start."""


def cell_index(calls: Iterable[Call]) -> dict[str, list[tuple[datetime, str]]]:
    """Every call's start and caller by cell, in time order."""
    index: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for caller, cell, start in calls:
        index[cell].append((start, caller))
    for listed in index.values():
        listed.sort()
    return index


def meetings(
    calls: Iterable[Call],
    index: dict[str, list[tuple[datetime, str]]],
    number: str,
    minutes: int,
    since: datetime = datetime.min,
    until: datetime = datetime.max,
) -> dict[str, int]:
    """The meetings of ``number``'s calls from ``since`` up to ``until``, counted over
    calls held in memory, indexed by cell (``cell_index``)."""
    gap = timedelta(minutes=minutes)
    found: dict[str, int] = defaultdict(int)
    for caller, cell, start in calls:
        if caller != number or not since <= start < until:
            continue
        listed = index[cell]
        low = bisect_left(listed, (start - gap, ""))
        high = bisect_right(listed, (start + gap, "\uffff"))
        for _, other in listed[low:high]:
            if other != number:
                found[other] += 1
    return dict(found)


def by_hand(rows: list[dict[str, object]], number: str, minutes: int) -> dict[str, int]:
    """The meetings counted over calls held in memory, indexed by cell."""
    calls = [(str(r["caller"]), str(r["cell"]), r["start"]) for r in rows]
    return meetings(calls, cell_index(calls), number, minutes)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--numbers", type=int, default=20_000)
    parser.add_argument("--cells", type=int, default=1_000)
    parser.add_argument("--minutes", type=int, default=15)
    parser.add_argument("--url", default="")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="nitka-colocation-")
    url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    rows = generate(args.calls, args.numbers, args.cells, args.seed)
    began = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(insert(analysis_scope).values(id=1, key="bench", sources="[]"))
        for start in range(0, len(rows), PAGE):
            conn.execute(insert(analysis_call), rows[start : start + PAGE])
    loaded = time.perf_counter() - began
    with engine.connect() as conn:
        asked = conn.execute(
            select(analysis_call.c.caller).group_by(analysis_call.c.caller)
            .order_by(analysis_call.c.caller).limit(1)
        ).scalar_one()  # fmt: skip
        began = time.perf_counter()
        found = colocated(conn, asked, None, minutes=args.minutes,
                          since=START, until=START + timedelta(days=DAYS))  # fmt: skip
        query = time.perf_counter() - began
    began = time.perf_counter()
    expected = by_hand(rows, asked, args.minutes)
    python = time.perf_counter() - began
    assert {m.number: m.meetings for m in found} == expected, "the answers differ"
    own = sum(1 for row in rows if row["caller"] == asked)
    print(orjson.dumps({
        "database": engine.dialect.name, "calls": args.calls, "number": asked,
        "own_calls": own, "met": len(found), "load_s": round(loaded, 1),
        "colocated_s": round(query, 3), "pure_python_s": round(python, 3),
    }, option=orjson.OPT_INDENT_2).decode())  # fmt: skip


if __name__ == "__main__":
    main()
