"""Who counts as detected in a period, and how a person is classed: sex, age group,
age band, citizenship and forms of exploitation (docs/thb-case-data.md).

A person is **detected** on the earliest date of an event that involves them
(``Event:date`` or ``startDate``), or, with no dated event, on the earliest
``first_seen`` of their statements; they count in the period that holds that
date, so consecutive reports count each person once. Age is taken at that date
from ``birthDate`` (a year alone counts from its first day), or from an
``age:<from>-<to>`` keyword when it falls wholly in a group or band.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from nitka.reports.codes import AGE_BANDS, EXPLOITATION, SEXES
from nitka.reports.facts import Entity, Facts


@dataclass
class Classed:
    id: str
    detected: str | None
    sex: str
    age_group: str
    age_band: str
    citizenship: list[str]
    forms: list[str]
    warnings: list[str] = field(default_factory=list)


KNOWN_FORMS = frozenset(EXPLOITATION)


def event_date(event: Entity) -> str | None:
    """The earliest of the event's ``date`` and ``startDate`` values."""
    dates = event.get("date") | event.get("startDate")
    return min(dates) if dates else None


def involvement(facts: Facts) -> tuple[dict[str, list[str]], dict[str, set[str]], list[str]]:
    """Per person (canonical id): the dates of the events that involve them, and the
    forms of exploitation those events name; and the events' unknown codes."""
    dates: dict[str, list[str]] = defaultdict(list)
    forms: dict[str, set[str]] = defaultdict(set)
    warnings: list[str] = []
    canonical = facts.canonical
    for event in facts.events:
        found = event.keywords("exploitation")
        unknown = found - KNOWN_FORMS
        for code in sorted(unknown):
            warnings.append(f"{event.id}: keywords exploitation:{code} is not a known code")
        involved = event.get("involved")
        if not involved:
            continue
        when = event_date(event)
        named = found - unknown if unknown else found
        for person in involved:
            key = canonical.get(person, person)
            if when:
                dates[key].append(when)
            if named:
                forms[key] |= named
    return dates, forms, warnings


def classify(person: Entity, dates: list[str], forms: set[str]) -> Classed:
    detected = min(dates) if dates else person.first_seen
    warnings: list[str] = []
    sex = (person.first("gender") or "unknown").lower()
    if sex not in SEXES:
        warnings.append(f"{person.id}: gender {sex!r} is not a known code")
        sex = "unknown"
    low, high = _age_range(person, detected)
    return Classed(
        id=person.id,
        detected=detected,
        sex=sex,
        age_group=_group(low, high),
        age_band=_band(low, high),
        citizenship=sorted({n.lower() for n in person.get("nationality")}) or ["unknown"],
        forms=sorted(forms) or ["unknown"],
        warnings=warnings,
    )


def _age_range(person: Entity, detected: str | None) -> tuple[int | None, int | None]:
    born = sorted(person.get("birthDate"))
    if born and detected:
        age = _years(born[0], detected)
        if age is not None:
            return age, age
    for keyword in sorted(person.keywords("age")):
        low, _, high = keyword.partition("-")
        if low.isdigit() and high.isdigit():
            return int(low), int(high)
    return None, None


def _years(born: str, at: str) -> int | None:
    try:
        start = date.fromisoformat(_day(born))
        then = date.fromisoformat(at[:10] if len(at) >= 10 else _day(at))
    except ValueError:
        return None
    years = then.year - start.year - ((then.month, then.day) < (start.month, start.day))
    return years if years >= 0 else None


def _day(text: str) -> str:
    if len(text) == 4:
        return f"{text}-01-01"
    if len(text) == 7:
        return f"{text}-01"
    return text[:10]


def _group(low: int | None, high: int | None) -> str:
    if low is None or high is None:
        return "unknown"
    if high <= 17:
        return "child"
    if low >= 18:
        return "adult"
    return "unknown"


def _band(low: int | None, high: int | None) -> str:
    if low is None or high is None:
        return "unknown"
    for start, end in AGE_BANDS:
        if start <= low and high <= end:
            return band_key(start, end)
    return "unknown"


def band_key(start: int, end: int) -> str:
    return f"{start}+" if end >= 150 else f"{start}-{end}"
