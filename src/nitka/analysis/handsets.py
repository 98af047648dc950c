"""Handsets and SIMs: one IMEI used with several numbers, one number moving between
IMEIs (a swap).

A call's IMEI and IMSI are those of its caller, as operators' records give them
(``nitka.ingest.cdr``): a call says that its caller's number was used in that
handset at its start. Two findings:

- a **shared handset**: an IMEI used with two or more numbers (SIM cards
  swapped in one phone: one person, several numbers), with each number's first
  and last use;
- a **swap**: a number used in two or more handsets, with the handsets in time
  order as runs (``A, B, A``: the SIM went into B and back).

The numbers and IMEIs are found by counting in the database (one ``GROUP BY``
over the calls with an IMEI); only the calls of what is found are read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from nitka.analysis.asking import iso, visible
from nitka.analysis.contacts import number_keys
from nitka.store.tables import analysis_call

CHUNK = 500


@dataclass
class Use:
    """A number in a handset (or a handset with a number): how many calls, when."""

    name: str
    calls: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def add(self, start: datetime) -> None:
        self.calls += 1
        self.first = start if self.first is None else min(self.first, start)
        self.last = start if self.last is None else max(self.last, start)

    def as_dict(self, kind: str) -> dict[str, Any]:
        return {kind: self.name, "calls": self.calls, "first": iso(self.first),
                "last": iso(self.last)}  # fmt: skip


@dataclass
class Handset:
    """An IMEI used with several numbers, the numbers in the order of their first use."""

    imei: str
    uses: list[Use]
    ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "handset",
            "imei": self.imei,
            "numbers": [use.name for use in self.uses],
            "calls": sum(use.calls for use in self.uses),
            "first": iso(min(u.first for u in self.uses if u.first)),
            "last": iso(max(u.last for u in self.uses if u.last)),
            "uses": [use.as_dict("number") for use in self.uses],
        }


@dataclass
class Swap:
    """A number used in several handsets: its runs of calls from one IMEI, in time order."""

    number: str
    runs: list[Use]
    ids: list[str] = field(default_factory=list)

    @property
    def imeis(self) -> list[str]:
        """The IMEIs in the order of their first use, each once."""
        return list(dict.fromkeys(run.name for run in self.runs))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "swap",
            "number": self.number,
            "imeis": self.imeis,
            "changes": len(self.runs) - 1,
            "calls": sum(run.calls for run in self.runs),
            "first": iso(self.runs[0].first),
            "last": iso(self.runs[-1].last),
            "uses": [run.as_dict("imei") for run in self.runs],
        }


def handsets(
    conn: Connection, scopes: Sequence[int] | None, *, number: str | None = None,
    limit: int = 1000,
) -> tuple[list[Handset], list[Swap]]:  # fmt: skip
    """IMEIs used with several numbers and numbers used in several IMEIs (with
    ``number``: the IMEIs this number was used in, and the number's own swaps); the
    most numbers (handsets) and the most changes (swaps) first."""
    key = number_keys([number], "number")[0] if number is not None else None
    if scopes is not None and not scopes:
        return [], []
    table = analysis_call.c
    pairs = select(table.imei, table.caller).where(table.imei.is_not(None))
    if key is not None:
        theirs = visible(select(table.imei).where(table.caller == key), scopes)
        pairs = pairs.where(or_(table.caller == key, table.imei.in_(theirs.scalar_subquery())))
    pairs = visible(pairs.group_by(table.imei, table.caller), scopes)
    numbers_of: dict[str, int] = defaultdict(int)
    imeis_of: dict[str, int] = defaultdict(int)
    for imei, caller in conn.execute(pairs):
        numbers_of[imei] += 1
        imeis_of[caller] += 1
    shared = sorted(imei for imei, count in numbers_of.items() if count > 1)
    moved = sorted(n for n, count in imeis_of.items() if count > 1 and key in (None, n))
    found_handsets = _handsets(conn, shared, scopes)
    found_swaps = _swaps(conn, moved, scopes)
    found_handsets.sort(key=lambda h: (-len(h.uses), h.imei))
    found_swaps.sort(key=lambda s: (-len(s.runs), s.number))
    return found_handsets[:limit], found_swaps[:limit]


def _calls(
    conn: Connection, column: str, values: Sequence[str], scopes: Sequence[int] | None
) -> list[tuple[str, str, str, datetime]]:
    """The calls with an IMEI whose caller or IMEI is one of these: (id, caller, IMEI,
    start), in time order."""
    table = analysis_call.c
    found: list[tuple[str, str, str, datetime]] = []
    for start in range(0, len(values), CHUNK):
        query = (
            select(table.id, table.caller, table.imei, table.start)
            .where(table[column].in_(values[start : start + CHUNK]))
            .where(table.imei.is_not(None))
        )
        found.extend(tuple(row) for row in conn.execute(visible(query, scopes)))
    found.sort(key=lambda row: (row[3], row[0]))
    return found


def _handsets(
    conn: Connection, imeis: Sequence[str], scopes: Sequence[int] | None
) -> list[Handset]:
    uses: dict[str, dict[str, Use]] = defaultdict(dict)
    ids: dict[str, list[str]] = defaultdict(list)
    for call_id, caller, imei, start in _calls(conn, "imei", imeis, scopes):
        uses[imei].setdefault(caller, Use(caller)).add(start)
        ids[imei].append(call_id)
    return [Handset(imei, list(uses[imei].values()), ids[imei]) for imei in imeis]


def _swaps(conn: Connection, numbers: Sequence[str], scopes: Sequence[int] | None) -> list[Swap]:
    runs: dict[str, list[Use]] = defaultdict(list)
    ids: dict[str, list[str]] = defaultdict(list)
    for call_id, caller, imei, start in _calls(conn, "caller", numbers, scopes):
        mine = runs[caller]
        if not mine or mine[-1].name != imei:
            mine.append(Use(imei))
        mine[-1].add(start)
        ids[caller].append(call_id)
    return [Swap(number, runs[number], ids[number]) for number in numbers]
