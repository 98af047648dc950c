"""Call detail records (CDRs) from telecom operators, as FtM ``Call`` entities.

Why: who called whom, when, for how long and through which cell tower is the
backbone of a trafficking network analysis (recruiters, drivers, "managers"),
and operators hand CDRs over as CSV.

Two layouts, recognised by the header row:

- **VAST 2008** (the IEEE VAST Challenge 2008 mini-challenge 3 calls):
  ``From,To,Datetime,Duration(seconds),Cell Tower``, times like
  ``20060601 0008`` (``yyyymmdd hhmm``), numbers 0-399, towers 1-30;
- **generic operator layout** (documented in ``docs/ingest-formats.md``):
  required ``caller,receiver,start,duration``; optional ``end,cell_id,
  cell_lat,cell_lon,call_type,imei,imsi,record_id``. ``start`` and ``end`` are
  ISO 8601 or ``DD.MM.YYYY HH:MM``; ``duration`` is whole seconds.

Each row is a ``Call`` whose id is made from its content (caller, receiver,
start, duration, tower), so the same call in two exports of one dataset is
one entity. ``endDate`` is start + duration unless the row gives ``end``.

Conventions, because FtM's ``Call`` has no property for them: the cell tower
is a ``description`` value ``Cell tower: <id>`` (``tower_of`` reads it back;
analysis code relies on this exact text) and an ``Address`` entity per tower,
named ``Cell tower <id>``, with its coordinates when given. ``call_type``,
``imei`` and ``imsi`` are further ``description`` values, ``Call type: <x>``,
``IMEI: <x>``, ``IMSI: <x>`` (of the subscriber the operator's record is
about). Phone numbers are kept as the operator gives them: they are
identifiers, and an operator's numbering (VAST uses 0-399) need not be a
valid E.164 number; they must hold only digits, spaces, ``+ - ( )``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from followthemoney import EntityProxy, model

from nitka.errors import RecordError
from nitka.ingest.base import Converted, entity_id
from nitka.ingest.layouts import CsvLayoutConverter
from nitka.ingest.values import set_value
from nitka.normalise.dates import normalise_date

TOWER_PREFIX = "Cell tower: "
"""How a call's ``description`` names its cell tower: ``Cell tower: 17``."""
TOWER_NAME = "Cell tower {}"
"""The name of a tower's ``Address`` entity."""
DESCRIPTION_PREFIXES = {"call_type": "Call type: ", "imei": "IMEI: ", "imsi": "IMSI: "}
"""Further ``description`` values of the generic layout's optional columns."""

_NUMBER = re.compile(r"[0-9 +()\-]+")
_DIGITS = re.compile(r"[0-9]+")
_DEGREES = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]+)?")
_DEVICE_ID = re.compile(r"[0-9][0-9 \-]*")


class Columns(NamedTuple):
    """Where a layout keeps each part of a call."""

    caller: str
    receiver: str
    start: str
    duration: str
    tower: str


LAYOUTS = {
    "vast2008": Columns("From", "To", "Datetime", "Duration(seconds)", "Cell Tower"),
    "generic": Columns("caller", "receiver", "start", "duration", "cell_id"),
}
"""The column of each part of a call, by layout."""
_REQUIRED = {
    "vast2008": tuple(LAYOUTS["vast2008"]),
    "generic": tuple(LAYOUTS["generic"])[:4],
}


def tower_of(call: EntityProxy) -> str | None:
    """The cell tower of a call ingested from a CDR, or None."""
    for description in call.get("description"):
        if description.startswith(TOWER_PREFIX):
            return description[len(TOWER_PREFIX) :]
    return None


class CdrConverter(CsvLayoutConverter):
    """Operator call records (CSV) to ``Call`` entities and cell-tower ``Address``es."""

    layouts = _REQUIRED
    what = "CDR"
    kind = "cdr"

    def convert(self, record: Any) -> Iterable[Converted]:
        columns = LAYOUTS[self.layout]
        call = model.make_entity("Call")
        caller = _number(record, columns.caller)
        receiver = _number(record, columns.receiver)
        start = _set_time(call, "startDate", _cell(record, columns.start), columns.start)
        duration = _cell(record, columns.duration)
        if not _DIGITS.fullmatch(duration):
            raise RecordError(
                f"{duration!r} is not a whole, non-negative number of seconds",
                field=columns.duration,
            )
        tower = _cell(record, columns.tower)
        call.id = self.make_id(caller, receiver, start, duration, tower)
        set_value(call, "callerNumber", caller, columns.caller, trusted=True)
        set_value(call, "receiverNumber", receiver, columns.receiver, trusted=True)
        set_value(call, "duration", duration, columns.duration)
        given_end = _cell(record, "end")
        if given_end:
            end = _set_time(call, "endDate", given_end, "end")
            if datetime.fromisoformat(end) < datetime.fromisoformat(start):
                raise RecordError(f"the call ends ({given_end}) before it starts", field="end")
        else:
            # Made from the start read above, ISO 8601 to the second: no need to read it.
            set_value(call, "endDate", _add_seconds(start, int(duration)), columns.start,
                      trusted=True)  # fmt: skip
        set_value(call, "recordId", _cell(record, "record_id"), "record_id", trusted=True)
        entities: list[Converted] = [call]
        if tower:
            set_value(call, "description", TOWER_PREFIX + tower, columns.tower)
            entities.append(self._tower(tower, columns.tower, record))
        for column, prefix in DESCRIPTION_PREFIXES.items():
            value = _cell(record, column)
            if value and column != "call_type" and not _DEVICE_ID.fullmatch(value):
                raise RecordError(f"{value!r} is not an {column.upper()}", field=column)
            set_value(call, "description", prefix + value if value else "", column)
        return entities

    def _tower(self, tower: str, column: str, record: dict[str, str]) -> EntityProxy:
        address = model.make_entity("Address")
        address.id = tower_id(self.dataset, tower)
        set_value(address, "name", TOWER_NAME.format(tower), column)
        set_value(address, "full", TOWER_NAME.format(tower), column)
        set_value(address, "latitude", _coordinate(record, "cell_lat", 90), "cell_lat")
        set_value(address, "longitude", _coordinate(record, "cell_lon", 180), "cell_lon")
        return address


def tower_id(dataset: str, tower: str) -> str:
    """The id of a cell tower's ``Address`` in a dataset of call records."""
    return entity_id(CdrConverter.kind, dataset, "tower", tower)


def _cell(record: dict[str, str], column: str) -> str:
    return (record.get(column) or "").strip()


def _number(record: dict[str, str], column: str) -> str:
    value = _cell(record, column)
    if not value:
        raise RecordError("a phone number is required", field=column)
    if not _NUMBER.fullmatch(value) or not any(c.isdigit() for c in value):
        raise RecordError(
            f"{value!r} is not a phone number (digits, spaces, + - ( ) only)", field=column
        )
    return value


def _coordinate(record: dict[str, str], column: str, limit: int) -> str:
    """A latitude or longitude in decimal degrees, checked (FtM takes any text)."""
    value = _cell(record, column)
    if value and not (_DEGREES.fullmatch(value) and abs(float(value)) <= limit):
        raise RecordError(
            f"{value!r} is not in decimal degrees (-{limit} to {limit})", field=column
        )
    return value


def _set_time(call: EntityProxy, prop: str, raw: str, column: str) -> str:
    """Set a date and time (not a bare date) to the second, and return it.

    FtM keeps times in UTC without an offset; ``20060601 0008`` and
    ``2006-06-01 00:08`` both become ``2006-06-01T00:08:00``, so that the same
    call gets the same id whichever way its time was written.
    """
    normalised = normalise_date(raw) if raw else None
    if normalised is None or "T" not in normalised:
        raise RecordError(f"{raw!r} is not a date and time", field=column)
    set_value(call, prop, normalised, column)
    try:
        moment = datetime.fromisoformat(call.pop(prop)[-1])
    except ValueError:
        raise RecordError(f"{raw!r} is not a date and time", field=column) from None
    stored = moment.isoformat()
    # Read and cleaned above: ISO 8601 to the second, as the date type keeps it (reading
    # it again cost a third of the conversion).
    set_value(call, prop, stored, column, trusted=True)
    return stored


def _add_seconds(start: str, seconds: int) -> str:
    return (datetime.fromisoformat(start) + timedelta(seconds=seconds)).isoformat()
