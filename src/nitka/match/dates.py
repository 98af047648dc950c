"""Comparing birth dates as they appear in lists and in checks.

Lists give full dates, a year alone or a year and month ("1984", "1984-03");
an officer types a date from a document, sometimes with day and month
swapped (03/04 read as 4 March or 3 April). Two dates either agree, agree as
far as both go, agree once day and month are swapped, are a year apart, or
conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class DateMatch(StrEnum):
    EXACT = "exact"
    """The same date, as precise as both give it."""
    PARTIAL = "partial"
    """One gives only the year (or year and month), and it agrees."""
    SWAPPED = "swapped"
    """Day and month swapped: 1984-03-04 / 1984-04-03."""
    NEAR = "near"
    """Close but not equal: a year apart, or full dates within a month of each
    other. Lists give approximate birth dates and people mistype them; close
    dates weaken a match, they do not refute it."""
    CONFLICT = "conflict"


#: How much each outcome supports (positive) or contradicts (negative) a match.
DATE_WEIGHT = {
    DateMatch.EXACT: 0.1,
    DateMatch.PARTIAL: 0.04,
    DateMatch.SWAPPED: 0.05,
    DateMatch.NEAR: -0.1,
    DateMatch.CONFLICT: -0.35,
}


@dataclass(frozen=True, slots=True)
class DatePart:
    year: int
    month: int | None
    day: int | None


def parse_date(value: str) -> DatePart | None:
    """Year, month and day of an ISO date or prefix (``1984``, ``1984-03``, ``1984-03-04``)."""
    found = _DATE.match(value.strip())
    if found is None:
        return None
    year, month, day = found.groups()
    return DatePart(int(year), int(month) if month else None, int(day) if day else None)


@dataclass(frozen=True)
class DateComparison:
    left: str
    right: str
    how: DateMatch

    def describe(self) -> str:
        return f"birth date {self.left} / {self.right}: {self.how.value}"


def compare_dates(left: str, right: str) -> DateComparison | None:
    """How two dates compare; None if either is not a date."""
    a, b = parse_date(left), parse_date(right)
    if a is None or b is None:
        return None
    return DateComparison(left, right, compare_parsed(a, b))


def compare_parsed(a: DatePart, b: DatePart) -> DateMatch:
    """How two parsed dates compare (see ``DateMatch``)."""
    full = a.day is not None and b.day is not None
    if a.year == b.year:
        if a.month is None or b.month is None:
            return DateMatch.PARTIAL
        if a.month == b.month:
            if a.day is None or b.day is None:
                return DateMatch.PARTIAL
            return DateMatch.EXACT if a.day == b.day else DateMatch.NEAR
        if full and a.month == b.day and a.day == b.month:
            return DateMatch.SWAPPED
    if full and _days_apart(a, b) <= 31:
        return DateMatch.NEAR
    if abs(a.year - b.year) == 1 and (not full or (a.month, a.day) == (b.month, b.day)):
        return DateMatch.NEAR
    return DateMatch.CONFLICT


def _days_apart(a: DatePart, b: DatePart) -> int:
    try:
        first = date(a.year, a.month or 1, a.day or 1)
        second = date(b.year, b.month or 1, b.day or 1)
    except ValueError:
        return 10_000
    return abs((first - second).days)


def best_date_match(lefts: list[str], rights: list[str]) -> DateComparison | None:
    """The best agreement between any date of one side and any of the other."""
    best: DateComparison | None = None
    for left in lefts:
        for right in rights:
            result = compare_dates(left, right)
            if result is None:
                continue
            if best is None or DATE_WEIGHT[result.how] > DATE_WEIGHT[best.how]:
                best = result
    return best


def pack_date(part: DatePart) -> int:
    """A date as one integer, YYYYMMDD with 00 for a missing month or day."""
    return part.year * 10_000 + (part.month or 0) * 100 + (part.day or 0)


def unpack_date(packed: int) -> DatePart:
    year, rest = divmod(packed, 10_000)
    month, day = divmod(rest, 100)
    return DatePart(year, month or None, day or None)


def agreeable_dates(part: DatePart) -> frozenset[int] | None:
    """Every date that does not conflict with a full date, packed (``pack_date``);
    None unless ``part`` is a full date.

    A check at a border has the full date from the document: with this set,
    ruling a list entry out by its birth date is one lookup, not a comparison.
    Agrees with ``compare_parsed`` (see its tests).
    """
    if part.month is None or part.day is None:
        return None
    year, month, day = part.year, part.month, part.day
    # Same year and month, any day or none; the year alone.
    found = set(range(pack_date(DatePart(year, month, None)), pack_date(part) - day + 32))
    found.add(year * 10_000)
    for near in (year - 1, year + 1):
        # A year apart: the year alone, a month without a day, or the same day.
        found.update(range(near * 10_000, near * 10_000 + 1_300, 100))
        found.add(near * 10_000 + month * 100 + day)
    if day <= 12:
        found.add(year * 10_000 + day * 100 + month)
    found.update(_days_around(year, month, day, _NEAR_DAYS))
    return frozenset(found)


_NEAR_DAYS = 31
"""Full dates this many days apart or fewer are near (``compare_parsed``)."""


def _days_around(year: int, month: int, day: int, days: int) -> tuple[int, ...]:
    """The real dates within ``days`` of a date, packed; none if the date is not
    real (30 February)."""
    try:
        position = date(year, month, day).timetuple().tm_yday - 1
    except ValueError:
        return ()
    if not 1 < year < 9998:
        return ()
    calendar = _packed_days(year - 1) + _packed_days(year) + _packed_days(year + 1)
    position += len(_packed_days(year - 1))
    return calendar[position - days : position + days + 1]


@lru_cache(maxsize=256)
def _packed_days(year: int) -> tuple[int, ...]:
    """Every real date of a year, packed, in order."""
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    return tuple(pack_date(_part(date.fromordinal(n))) for n in range(first, last + 1))


def _part(day: date) -> DatePart:
    return DatePart(day.year, day.month, day.day)
