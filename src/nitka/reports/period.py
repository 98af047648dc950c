"""The period a report covers: two dates, both included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nitka.errors import FieldError


class PeriodError(FieldError):
    """A period that cannot be read; names the field (``from`` or ``to``)."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    """The last day counted (included)."""

    @classmethod
    def parse(cls, start: str, end: str) -> Period:
        first, last = _day(start, "from"), _day(end, "to")
        if last < first:
            raise PeriodError(f"the period ends ({last}) before it starts ({first})", field="to")
        return cls(first, last)

    @property
    def lower(self) -> str:
        """The first instant, as the ISO text the store keeps times in."""
        return self.start.isoformat()

    @property
    def upper(self) -> str:
        """The day after the last one: times are compared as ``lower <= t < upper``."""
        return (self.end + timedelta(days=1)).isoformat()

    def holds(self, moment: str | None) -> bool:
        """Whether an ISO date or time (or a prefix: ``2025``, ``2025-03``) falls in
        the period; a partial date counts by its first day."""
        if not moment:
            return False
        return self.lower <= _full(moment) < self.upper

    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise PeriodError(
            f"{field}: cannot read {value!r} as a date (give YYYY-MM-DD)", field=field
        ) from None


def _full(moment: str) -> str:
    """``2025`` as ``2025-01-01``, ``2025-03`` as ``2025-03-01``; longer texts as they are."""
    if len(moment) == 4:
        return f"{moment}-01-01"
    if len(moment) == 7:
        return f"{moment}-01"
    return moment
