"""Contact chains: A called B, then B called C within a window, and so on.

A chain follows calls in the direction they were made and in time order: each
call starts no earlier than the one before it and at most ``window`` after it
(a message passed on: the recruiter calls the driver, the driver calls the
boat's owner within the hour). A number appears once in a chain, so a call back
is not a step. Chains are of two to ``depth`` calls, and only the longest are
given: a chain that goes on within the depth is given whole, not also its start.

The search goes one step at a time for all chains at once: the calls of every
chain's last number, in the time range the chains can still continue in, read
by the caller index of ``analysis_call``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.analysis.asking import visible
from nitka.analysis.contacts import number_keys
from nitka.store.tables import analysis_call

MIN_DEPTH, MAX_DEPTH = 2, 4
"""Calls in a chain: the longest asked for (the number of chains grows fast with it)."""
MAX_OPEN = 100_000
"""Chains followed at most at one step: a hub's calls would otherwise be without end."""
CHUNK = 500


class Step(NamedTuple):
    """One call of a chain."""

    id: str
    caller: str
    callee: str
    start: datetime


@dataclass
class Chain:
    steps: list[Step]

    @property
    def numbers(self) -> list[str]:
        return [self.steps[0].caller, *(step.callee for step in self.steps)]

    @property
    def ids(self) -> list[str]:
        return [step.id for step in self.steps]

    def as_dict(self) -> dict[str, Any]:
        return {
            "numbers": self.numbers,
            "length": len(self.steps),
            "calls": [
                {"id": s.id, "from": s.caller, "to": s.callee, "start": s.start.isoformat()}
                for s in self.steps
            ],
        }


def chains(
    conn: Connection,
    number: str,
    scopes: Sequence[int] | None,
    *,
    window: int = 60,
    depth: int = 3,
    limit: int = 100,
) -> list[Chain]:
    """Chains of calls starting with a call from this number, each next call within
    ``window`` minutes of the one before; the longest first, then the earliest."""
    if not MIN_DEPTH <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be {MIN_DEPTH} to {MAX_DEPTH}")
    (key,) = number_keys([number], "number")
    if scopes is not None and not scopes:
        return []
    gap = timedelta(minutes=window)
    table = analysis_call.c
    first = visible(
        select(table.id, table.caller, table.callee, table.start)
        .where(table.caller == key)
        .where(table.callee != key),
        scopes,
    )
    open_chains = [Chain([Step(*row)]) for row in conn.execute(first)]
    done: list[Chain] = []
    for _ in range(depth - 1):
        if not open_chains:
            break
        calls = _calls_of(conn, open_chains, gap, scopes)
        grown: list[Chain] = []
        for chain in open_chains:
            last = chain.steps[-1]
            taken = set(chain.numbers)
            after = calls.get(last.callee, [])
            nexts = [
                step
                for step in after[bisect_left(after, last.start, key=lambda s: s.start) :]
                if step.start <= last.start + gap and step.callee not in taken
                and step.id != last.id
            ]  # fmt: skip
            if not nexts and len(chain.steps) >= MIN_DEPTH:
                done.append(chain)
            grown.extend(Chain([*chain.steps, step]) for step in nexts)
        open_chains = grown[:MAX_OPEN]
    done.extend(open_chains if open_chains and len(open_chains[0].steps) >= MIN_DEPTH else [])
    done.sort(key=lambda c: (-len(c.steps), [s.start for s in c.steps], c.numbers))
    return done[:limit]


def _calls_of(
    conn: Connection, open_chains: Sequence[Chain], gap: timedelta, scopes: Sequence[int] | None
) -> dict[str, list[Step]]:
    """The calls made by the chains' last numbers in the time the chains may go on in,
    by caller, in time order."""
    ends: dict[str, list[datetime]] = defaultdict(list)
    for chain in open_chains:
        ends[chain.steps[-1].callee].append(chain.steps[-1].start)
    table = analysis_call.c
    found: dict[str, list[Step]] = defaultdict(list)
    numbers = sorted(ends)
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        low = min(min(ends[n]) for n in chunk)
        high = max(max(ends[n]) for n in chunk) + gap
        rows = conn.execute(
            visible(
                select(table.id, table.caller, table.callee, table.start)
                .where(table.caller.in_(chunk))
                .where(table.start >= low)
                .where(table.start <= high),
                scopes,
            )
        )
        for row in rows:
            found[row.caller].append(Step(*row))
    for steps in found.values():
        steps.sort(key=lambda s: (s.start, s.id))
    return found
