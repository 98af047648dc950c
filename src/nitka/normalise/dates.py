"""Dates as police data and watch lists write them, read into ISO 8601.

One date in a common format is ``normalise_date``'s job. Lists also write what
they know less exactly, and a listed person must not be lost to it:
alternatives (``10.2.1983 (or 10.3.1983)``, ``1970 or 1971``), hedges
(``possibly 23.7.1981``, ``circa 1960``, ``approx. 1975``), a year or a
month alone (``1964``, ``02.1983``), a month written out (``21 April
1964``), ranges (``1970-1975``, ``between 1970 and 1975``) and several
dates in one cell (``1.2.1970; 3.4.1971``). ``read_dates`` gives every date
such a cell states, at the precision it states it (FtM keeps ``1964`` and
``1964-04`` as dates), and the parts it could not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from followthemoney import registry

MAX_RANGE_YEARS = 10
"""A range of birth years is kept as each of its years up to this span; a wider
one says too little to check a person against, and is rejected with a note."""

_DATE_FORMATS = (
    "%Y/%m/%d",
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%Y%m%d",
    "%Y%m%d %H%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y",
)
_ISO = re.compile(
    r"\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?)?)?(Z|[+-]\d{2}:?\d{2})?"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "січня", "січень", "января", "январь"),
            ("february", "feb", "лютого", "лютий", "февраля", "февраль"),
            ("march", "mar", "березня", "березень", "марта", "март"),
            ("april", "apr", "квітня", "квітень", "апреля", "апрель"),
            ("may", "травня", "травень", "мая", "май"),
            ("june", "jun", "червня", "червень", "июня", "июнь"),
            ("july", "jul", "липня", "липень", "июля", "июль"),
            ("august", "aug", "серпня", "серпень", "августа", "август"),
            ("september", "sep", "sept", "вересня", "вересень", "сентября", "сентябрь"),
            ("october", "oct", "жовтня", "жовтень", "октября", "октябрь"),
            ("november", "nov", "листопада", "листопад", "ноября", "ноябрь"),
            ("december", "dec", "грудня", "грудень", "декабря", "декабрь"),
        ),
        start=1,
    )
    for name in names
}
_HEDGES = re.compile(
    r"^(?:(?:possibly|probably|presumably|reportedly|allegedly|circa|approximately|approx\.?|"
    r"about|around|ca\.?|c\.|born(?: in| on)?|in|on|імовірно|ймовірно|приблизно|близько|"
    r"вероятно|примерно|около)[\s:,]*)+",
    re.IGNORECASE,
)
_ALTERNATIVE = re.compile(r"\s*(?:;|\bor\b|\bабо\b|\bили\b)\s*", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\(([^()]*)\)")
_RANGE = re.compile(
    r"^(?:between\s+)?(\d{4})\s*(?:-|–|—|to|and|until|до|по)\s*(\d{4})$", re.IGNORECASE
)
_MONTH_YEAR = re.compile(r"^(\d{1,2})[./-](\d{4})$")
_WORDS = re.compile(r"^(?:(\d{1,2})\s+)?([^\W\d_]+\.?)(?:\s+(\d{1,2}))?,?(?:\s+(\d{4}))?$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass
class DateReading:
    """What a cell of dates says: the ISO dates it states and what could not be read."""

    dates: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """The parts that are no date (``yesterday``), or say too little (a wide range)."""


def normalise_date(raw: str) -> str | None:
    """An ISO 8601 date (or date and time) from the common formats police data comes in."""
    text = raw.strip(" \t()[]{},;.")
    if _ISO.fullmatch(text):
        return text.replace(" ", "T")
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        has_time = "%H" in fmt
        return parsed.strftime("%Y-%m-%dT%H:%M:%S" if has_time else "%Y-%m-%d")
    return None


def read_dates(raw: str) -> DateReading:
    """Every date a cell states: alternatives, hedged, partial and ranged dates.

    A remark in parentheses that holds no year (``1964 (possibly: 21 April)``)
    is read as a more exact alternative within the date before it.
    """
    reading = DateReading()
    text = " ".join(raw.split())
    if not text:
        return reading
    whole = None if _RANGE.match(_HEDGES.sub("", text)) else _one(text)
    if whole is not None:
        reading.dates.append(whole)
        return reading
    remarks = _PARENTHESIS.findall(text)
    main = _PARENTHESIS.sub(" ", text)
    for part in filter(None, (p.strip(" ,.") for p in _ALTERNATIVE.split(main))):
        _read_part(part, reading)
    known_year = reading.dates[0][:4] if reading.dates else None
    for remark in remarks:
        for part in filter(None, (p.strip(" ,.") for p in _ALTERNATIVE.split(remark))):
            bare = _HEDGES.sub("", part).strip(" ,.:")
            if not bare:
                continue
            if known_year and not re.search(r"\d{4}", bare):
                bare = f"{bare} {known_year}"
            _read_part(bare, reading, said=part)
    reading.dates = list(dict.fromkeys(reading.dates))
    return reading


def _read_part(part: str, reading: DateReading, *, said: str | None = None) -> None:
    """Read one alternative; ``said`` is how the cell wrote it, for the note."""
    said = said or part
    text = _HEDGES.sub("", part).strip(" ,.:")
    ranged = _RANGE.match(text)
    if ranged:
        first, last = sorted((int(ranged.group(1)), int(ranged.group(2))))
        if last - first > MAX_RANGE_YEARS:
            reading.unread.append(said)
        else:
            reading.dates.extend(str(year) for year in range(first, last + 1))
        return
    found = _one(text)
    if found is None:
        reading.unread.append(said)
    else:
        reading.dates.append(found)


def _one(text: str) -> str | None:
    """One date, exact or partial, checked by FtM's date type; None if it is none."""
    text = text.strip(" ,.:")
    found = normalise_date(text)
    if found is None:
        found = _partial(text)
    if found is None:
        return None
    return registry.date.clean(found)


def _partial(text: str) -> str | None:
    if _YEAR.match(text):
        return text
    month_year = _MONTH_YEAR.match(text)
    if month_year:
        number = int(month_year.group(1))
        return f"{month_year.group(2)}-{number:02d}" if 1 <= number <= 12 else None
    worded = _WORDS.match(text)
    if worded is None:
        return None
    day_before, name, day_after, year = worded.groups()
    month = _MONTHS.get(name.rstrip(".").lower())
    if month is None or year is None:
        return None
    day = day_before or day_after
    if day is None:
        return f"{year}-{month:02d}"
    try:
        return datetime(int(year), month, int(day)).strftime("%Y-%m-%d")
    except ValueError:
        return None
