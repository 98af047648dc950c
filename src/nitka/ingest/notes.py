"""Values an ingest drops with a note, keeping their record.

A listed person must not be lost to one value Nitka cannot read (a birth
date written ``10.2.1983 (or 10.3.1983)`` by a list Nitka has not seen,
a remark in a nationality cell). While an ingest converts a record it
collects such values here (``noting``); the record is stored without them
and each is filed in the reject file with its record, field and value.
Outside an ingest (a converter called on its own, a test) there is no one
to note it to, and a bad value raises its RecordError as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from nitka.errors import RecordError


@dataclass(frozen=True)
class DroppedValue:
    """A value left out of a stored record, and why."""

    field: str
    value: str
    reason: str


_noted: ContextVar[list[DroppedValue] | None] = ContextVar("nitka_dropped_values", default=None)


@contextmanager
def noting() -> Iterator[list[DroppedValue]]:
    """Collect the values dropped while converting one record."""
    dropped: list[DroppedValue] = []
    token = _noted.set(dropped)
    try:
        yield dropped
    finally:
        _noted.reset(token)


def drop_value(field: str, value: str, reason: str) -> None:
    """Leave a value out of its record with a note; raises RecordError when no
    ingest is noting (the caller wants all of the record or an error)."""
    noted = _noted.get()
    if noted is None:
        raise RecordError(reason, field=field)
    noted.append(DroppedValue(field, value, reason))
