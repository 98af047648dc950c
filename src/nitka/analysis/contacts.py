"""Call-record queries over the calls projection: top contacts and common contacts.

Numbers are asked for as the source writes them (VAST's ``200``, ``+380 67
123 4567``) and compared as the projection keeps them (``readings.phone_key``).
Every query reads only the rows whose scope the asker may see (``scopes``):
``None`` reads every row (a local operator).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from nitka.analysis.readings import RejectedError, phone_key
from nitka.errors import FieldError
from nitka.store.tables import analysis_call

MIN_COMMON, MAX_COMMON = 2, 10
"""How many numbers a common-contacts query takes."""


@dataclass
class Contact:
    """Another number's calls with one or more asked-for numbers."""

    number: str
    calls: int = 0
    outgoing: int = 0
    """Calls from the asked-for number(s) to this one."""
    incoming: int = 0
    seconds: int = 0
    """The calls' total length, where known."""
    first: datetime | None = None
    last: datetime | None = None
    by_number: dict[str, int] = field(default_factory=dict)
    """Calls with each asked-for number."""
    ids: list[str] = field(default_factory=list)
    """The calls (entity ids) behind the answer."""

    def add(self, call_id: str, asked: str, outgoing: bool, start: datetime, seconds: int) -> None:
        self.calls += 1
        self.outgoing += outgoing
        self.incoming += not outgoing
        self.seconds += seconds
        self.first = start if self.first is None else min(self.first, start)
        self.last = start if self.last is None else max(self.last, start)
        self.by_number[asked] = self.by_number.get(asked, 0) + 1
        self.ids.append(call_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "calls": self.calls,
            "outgoing": self.outgoing,
            "incoming": self.incoming,
            "seconds": self.seconds,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "with": dict(sorted(self.by_number.items())),
        }


def number_keys(numbers: Iterable[str], field_name: str = "numbers") -> list[str]:
    """The asked-for numbers as the projection keeps them, each once; a number that is
    no number is the asker's error."""
    keys: list[str] = []
    for number in numbers:
        try:
            key = phone_key(number, field_name)
        except RejectedError as bad:
            raise FieldError(bad.reason, field=field_name) from None
        if key not in keys:
            keys.append(key)
    return keys


def top_contacts(
    conn: Connection, number: str, scopes: Sequence[int] | None, *, limit: int = 10
) -> list[Contact]:
    """The numbers with the most calls with this one, most first."""
    (key,) = number_keys([number], "number")
    found = _contacts(conn, [key], scopes)
    return sorted(found.values(), key=lambda c: (-c.calls, -c.seconds, c.number))[:limit]


def common_contacts(
    conn: Connection, numbers: Sequence[str], scopes: Sequence[int] | None
) -> list[Contact]:
    """The numbers in contact with every one of these (two to ten), with how many calls
    they had with them; the most calls first."""
    keys = number_keys(numbers)
    if not MIN_COMMON <= len(keys) <= MAX_COMMON:
        raise FieldError(
            f"common contacts are asked for {MIN_COMMON} to {MAX_COMMON} different numbers, "
            f"not {len(keys)}",
            field="numbers",
        )
    found = _contacts(conn, keys, scopes)
    common = [c for c in found.values() if len(c.by_number) == len(keys)]
    return sorted(common, key=lambda c: (-c.calls, c.number))


def _contacts(
    conn: Connection, keys: Sequence[str], scopes: Sequence[int] | None
) -> dict[str, Contact]:
    """Every other number's calls with the asked-for ones."""
    if scopes is not None and not scopes:
        return {}
    table = analysis_call.c
    query = select(table.id, table.caller, table.callee, table.start, table.duration).where(
        or_(table.caller.in_(keys), table.callee.in_(keys))
    )
    if scopes is not None:
        query = query.where(table.scope.in_(scopes))
    asked = set(keys)
    found: dict[str, Contact] = {}
    for call_id, caller, callee, start, duration in conn.execute(query):
        for mine, other, outgoing in ((caller, callee, True), (callee, caller, False)):
            if mine in asked and other not in asked:
                contact = found.setdefault(other, Contact(other))
                contact.add(call_id, mine, outgoing, start, duration or 0)
    return found
