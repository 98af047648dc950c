"""A change of behaviour around a date: a number's calls in the days before it against
those after it (a new phone after an arrest, a trip, a payment).

Before is ``[date - days, date)``, after ``[date, date + days)``. For each: the
calls (made and taken), calls per day, the other numbers, the cells of the calls
the number made (a call's cell is its caller's), the mean length. Then the
contacts that are new after the date and those dropped after it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from nitka.analysis.asking import visible
from nitka.analysis.contacts import number_keys
from nitka.store.tables import analysis_call


@dataclass
class Period:
    """A number's calls between two times."""

    since: datetime
    until: datetime
    calls: int = 0
    contacts: Counter[str] = field(default_factory=Counter)
    cells: Counter[str] = field(default_factory=Counter)
    seconds: int = 0
    timed: int = 0
    """Calls whose length is known (the mean is of these)."""

    def add(self, other: str, cell: str | None, duration: int | None) -> None:
        self.calls += 1
        self.contacts[other] += 1
        if cell is not None:
            self.cells[cell] += 1
        if duration is not None:
            self.seconds += duration
            self.timed += 1

    def as_dict(self) -> dict[str, Any]:
        days = (self.until - self.since).total_seconds() / 86_400
        return {
            "from": self.since.isoformat(),
            "to": self.until.isoformat(),
            "calls": self.calls,
            "calls_per_day": round(self.calls / days, 2),
            "contacts": len(self.contacts),
            "cells": dict(sorted(self.cells.items(), key=lambda c: (-c[1], c[0]))),
            "mean_seconds": round(self.seconds / self.timed, 1) if self.timed else None,
        }


@dataclass
class Change:
    number: str
    date: datetime
    days: int
    before: Period
    after: Period
    ids: list[str] = field(default_factory=list)

    @property
    def new_contacts(self) -> list[str]:
        return sorted(set(self.after.contacts) - set(self.before.contacts))

    @property
    def dropped_contacts(self) -> list[str]:
        return sorted(set(self.before.contacts) - set(self.after.contacts))

    def as_dict(self) -> dict[str, Any]:
        before, after = self.before.as_dict(), self.after.as_dict()
        return {
            "number": self.number,
            "date": self.date.isoformat(),
            "days": self.days,
            "before": before,
            "after": after,
            "new_contacts": self.new_contacts,
            "dropped_contacts": self.dropped_contacts,
            "new_cells": sorted(set(self.after.cells) - set(self.before.cells)),
            "dropped_cells": sorted(set(self.before.cells) - set(self.after.cells)),
        }


def change(
    conn: Connection, number: str, date: datetime, scopes: Sequence[int] | None, *,
    days: int = 30,
) -> Change:  # fmt: skip
    """The number's calls in the ``days`` before ``date`` against those in the ``days``
    from it."""
    (key,) = number_keys([number], "number")
    span = timedelta(days=days)
    found = Change(key, date, days, Period(date - span, date), Period(date, date + span))
    if scopes is not None and not scopes:
        return found
    table = analysis_call.c
    query = (
        select(table.id, table.caller, table.callee, table.start, table.duration, table.cell)
        .where(or_(table.caller == key, table.callee == key))
        .where(table.start >= date - span)
        .where(table.start < date + span)
        .where(table.caller != table.callee)
    )
    for call_id, caller, callee, start, duration, cell in conn.execute(visible(query, scopes)):
        period = found.before if start < date else found.after
        made = caller == key
        period.add(callee if made else caller, cell if made else None, duration)
        found.ids.append(call_id)
    return found
