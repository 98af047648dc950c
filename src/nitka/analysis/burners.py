"""Short-lived numbers with few contacts: the burner pattern.

A *burner* is a number used for a few days with a few others and then dropped
(a recruiter's phone for one trip). Here: a number whose calls (made or taken)
in the records go from the first to the last over at most ``max_days``
calendar days (the first and last day counted: calls on one day are one day),
with at most ``max_contacts`` other numbers and at least ``min_calls`` calls.

The counting is done by the database (one ``GROUP BY`` over both ends of every
call); only the calls of the numbers found are read. The records' own edges
are not known: a number first seen on the last day of the records is short
lived as far as they tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, union_all
from sqlalchemy.engine import Connection

from nitka.analysis.asking import iso, visible
from nitka.store.tables import analysis_call

CHUNK = 500


@dataclass
class Burner:
    number: str
    calls: int
    first: datetime
    last: datetime
    contacts: set[str] = field(default_factory=set)
    ids: list[str] = field(default_factory=list)

    @property
    def days(self) -> int:
        """Calendar days from the first call's to the last's, both counted."""
        return (self.last.date() - self.first.date()).days + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "days": self.days,
            "contacts": len(self.contacts),
            "calls": self.calls,
            "first": iso(self.first),
            "last": iso(self.last),
            "contact_numbers": sorted(self.contacts),
        }


def burners(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    max_days: int = 14,
    max_contacts: int = 3,
    min_calls: int = 2,
    limit: int = 1000,
) -> list[Burner]:
    """Numbers active at most ``max_days`` days with at most ``max_contacts`` others
    and at least ``min_calls`` calls; the fewest days first, then the most calls."""
    if scopes is not None and not scopes:
        return []
    table = analysis_call.c
    ends = union_all(
        *(
            visible(
                select(mine.label("number"), other.label("other"), table.start).where(
                    table.caller != table.callee
                ),
                scopes,
            )
            for mine, other in ((table.caller, table.callee), (table.callee, table.caller))
        )
    ).subquery()
    counted = (
        select(ends.c.number, func.count(), func.min(ends.c.start), func.max(ends.c.start))
        .group_by(ends.c.number)
        .having(func.count() >= min_calls)
        .having(func.count(func.distinct(ends.c.other)) <= max_contacts)
    )
    found = [
        Burner(number, calls, first, last)
        for number, calls, first, last in conn.execute(counted)
        if (last.date() - first.date()).days + 1 <= max_days
    ]
    found.sort(key=lambda b: (b.days, -b.calls, b.first, b.number))
    found = found[:limit]
    _add_calls(conn, found, scopes)
    return found


def _add_calls(conn: Connection, found: Sequence[Burner], scopes: Sequence[int] | None) -> None:
    """Each number's contacts and the calls behind it."""
    by_number = {burner.number: burner for burner in found}
    numbers = sorted(by_number)
    table = analysis_call.c
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        query = select(table.id, table.caller, table.callee).where(
            or_(table.caller.in_(chunk), table.callee.in_(chunk))
        )
        for call_id, caller, callee in conn.execute(visible(query, scopes)):
            if caller == callee:
                continue
            for mine, other in ((caller, callee), (callee, caller)):
                burner = by_number.get(mine)
                if burner is not None:
                    burner.contacts.add(other)
                    burner.ids.append(call_id)
