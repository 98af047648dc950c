"""Call detail records (CDRs) from telecom operators, as FtM ``Call`` entities.

Two layouts, recognised by the header row:

- **VAST 2008** (the IEEE VAST Challenge 2008 mini-challenge 3 calls):
  ``From,To,Datetime,Duration(seconds),Cell Tower`` with times like
  ``20060601 0008``;
- **generic operator layout** (documented in ``docs/ingest-formats.md``):
  required ``caller,receiver,start,duration``; optional ``end,cell_id,
  cell_lat,cell_lon,call_type,imei,imsi``.

FtM's ``Call`` has no cell-tower property. Nitka writes the tower into the
call's ``description`` as ``Cell tower: <id>`` (analysis code reads it back
with ``tower_of``) and emits an ``Address`` entity per tower, named
``Cell tower <id>``, with its coordinates when the layout gives them.
Phone numbers are kept as the operator gives them: they are identifiers, and
an operator's numbering (VAST uses 0-399) need not be a valid E.164 number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from followthemoney import EntityProxy, model

from nitka.ingest.base import Converted
from nitka.ingest.errors import RecordError
from nitka.ingest.layouts import CsvLayoutConverter
from nitka.ingest.values import normalise_date, set_value

TOWER_PREFIX = "Cell tower: "
_NUMBER = re.compile(r"^\+?[0-9][0-9 ()\-]*$")

#: Column names of each layout: caller, receiver, start, duration, tower.
LAYOUTS = {
    "vast2008": ("From", "To", "Datetime", "Duration(seconds)", "Cell Tower"),
    "generic": ("caller", "receiver", "start", "duration", "cell_id"),
}
_REQUIRED = {"vast2008": LAYOUTS["vast2008"], "generic": LAYOUTS["generic"][:4]}


def tower_of(call: EntityProxy) -> str | None:
    """The cell tower of a call ingested from a CDR, or None."""
    for description in call.get("description"):
        if description.startswith(TOWER_PREFIX):
            return description[len(TOWER_PREFIX) :]
    return None


class CdrConverter(CsvLayoutConverter):
    layouts = _REQUIRED
    what = "CDR"
    kind = "cdr"

    def convert(self, record: Any) -> Iterable[Converted]:
        caller_col, receiver_col, start_col, duration_col, tower_col = LAYOUTS[self.layout]
        caller = self._number(record, caller_col)
        receiver = self._number(record, receiver_col)
        start_raw = (record.get(start_col) or "").strip()
        start = normalise_date(start_raw) if start_raw else None
        if start is None or len(start) < 16:
            raise RecordError(f"{start_raw!r} is not a date and time", field=start_col)
        duration_raw = (record.get(duration_col) or "").strip()
        if not duration_raw.isdigit():
            raise RecordError(
                f"{duration_raw!r} is not a whole number of seconds", field=duration_col
            )
        tower = (record.get(tower_col) or "").strip()
        call = model.make_entity("Call")
        call.id = self.make_id(caller, receiver, start, duration_raw, tower)
        set_value(call, "callerNumber", caller, caller_col, trusted=True)
        set_value(call, "receiverNumber", receiver, receiver_col, trusted=True)
        set_value(call, "startDate", start, start_col)
        set_value(call, "duration", duration_raw, duration_col)
        end = _add_seconds(start, int(duration_raw))
        set_value(call, "endDate", record.get("end") or end, "end")
        entities: list[Converted] = [call]
        if tower:
            set_value(call, "description", f"{TOWER_PREFIX}{tower}", tower_col)
            entities.append(self._tower(tower, record))
        return entities

    def _number(self, record: dict[str, str], column: str) -> str:
        value = (record.get(column) or "").strip()
        if not value or not _NUMBER.match(value):
            raise RecordError(f"{value!r} is not a phone number", field=column)
        return value

    def _tower(self, tower: str, record: dict[str, str]) -> EntityProxy:
        address = model.make_entity("Address")
        address.id = self.make_id("tower", tower)
        set_value(address, "name", f"Cell tower {tower}", "cell_id")
        set_value(address, "full", f"Cell tower {tower}", "cell_id")
        set_value(address, "latitude", record.get("cell_lat"), "cell_lat")
        set_value(address, "longitude", record.get("cell_lon"), "cell_lon")
        return address


def _add_seconds(start: str, seconds: int) -> str:
    parsed = datetime.fromisoformat(start.replace("Z", "+00:00"))
    return (parsed + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")
