"""Co-location: the numbers that were in the same cell as this one at about the same
time.

A call's cell (and its IMEI and IMSI) are those of its caller, as operators'
records give them: a call puts its *caller* in its cell at its start. Two
numbers *meet* when one of this number's calls and one of the other's go
through the same cell within ``minutes`` of each other; every such pair of
calls is one meeting.

The query reads this number's calls (by the caller index), merges their
windows per cell, and reads each merged window's calls by the ``(cell,
start)`` index of ``analysis_call``: a month of one number costs a few hundred
index ranges, however many calls the store holds.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.analysis.asking import iso, visible
from nitka.analysis.contacts import number_keys
from nitka.store.tables import analysis_call


@dataclass
class Meeting:
    """Another number seen in this number's cells at about the time of its calls."""

    number: str
    meetings: int = 0
    """Pairs of calls, one of each number, through one cell within the minutes asked."""
    cells: set[str] = field(default_factory=set)
    first: datetime | None = None
    """The other number's first call that meets one of this number's (its start)."""
    last: datetime | None = None
    ids: set[str] = field(default_factory=set)
    """The calls of both numbers behind the meetings."""

    def add(self, cell: str, mine: str, theirs: str, start: datetime) -> None:
        self.meetings += 1
        self.cells.add(cell)
        self.first = start if self.first is None else min(self.first, start)
        self.last = start if self.last is None else max(self.last, start)
        self.ids.update((mine, theirs))

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "meetings": self.meetings,
            "cells": sorted(self.cells, key=_cell_order),
            "first": iso(self.first),
            "last": iso(self.last),
        }


def colocated(
    conn: Connection,
    number: str,
    scopes: Sequence[int] | None,
    *,
    minutes: int = 15,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 1000,
) -> list[Meeting]:
    """The numbers with calls through the cells of this number's calls (from ``since``
    up to ``until``) within ``minutes`` of them; the most meetings first."""
    (key,) = number_keys([number], "number")
    if scopes is not None and not scopes:
        return []
    table = analysis_call.c
    gap = timedelta(minutes=minutes)
    own = select(table.id, table.cell, table.start).where(table.caller == key)
    own = own.where(table.cell.is_not(None))
    if since is not None:
        own = own.where(table.start >= since)
    if until is not None:
        own = own.where(table.start < until)
    mine: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for call_id, cell, start in conn.execute(visible(own, scopes)):
        mine[cell].append((start, call_id))
    found: dict[str, Meeting] = {}
    for cell, calls in mine.items():
        calls.sort()
        starts = [start for start, _ in calls]
        for low, high in _windows(starts, gap):
            near = conn.execute(
                visible(
                    select(table.id, table.caller, table.start)
                    .where(table.cell == cell)
                    .where(table.start >= low)
                    .where(table.start <= high)
                    .where(table.caller != key),
                    scopes,
                )
            )
            for call_id, caller, start in near:
                nearby = calls[bisect_left(starts, start - gap) : bisect_right(starts, start + gap)]
                if not nearby:
                    continue
                meeting = found.get(caller) or found.setdefault(caller, Meeting(caller))
                for _, own_id in nearby:
                    meeting.add(cell, own_id, call_id, start)
    ranked = sorted(found.values(), key=lambda m: (-m.meetings, m.first or datetime.min, m.number))
    return ranked[:limit]


def _windows(starts: Sequence[datetime], gap: timedelta) -> list[tuple[datetime, datetime]]:
    """The times within ``gap`` of these (sorted) starts, as few ranges as they make."""
    merged: list[tuple[datetime, datetime]] = []
    for start in starts:
        low, high = start - gap, start + gap
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


def _cell_order(cell: str) -> tuple[int, int | str]:
    """Cells in number order where they are numbers (VAST's towers 1 to 30)."""
    return (0, int(cell)) if cell.isdigit() else (1, cell)
