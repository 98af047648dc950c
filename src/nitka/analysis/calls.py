"""The calls projection: one typed row per FtM ``Call``, for the call-record queries.

Operators' call records arrive as ``Call`` entities (``nitka.ingest.cdr``): the
numbers, the start, the length, and the cell tower, IMEI and IMSI as
``description`` values (``Cell tower: 17``, ``IMEI: ...``). A row keeps:

- ``caller``, ``callee``: the numbers as compared (``readings.phone_key``:
  digits and a leading ``+``; VAST's ``200`` stays ``200``);
- ``start``: in UTC, to the second (a call needs a time of day);
- ``duration``: whole seconds, where given;
- ``cell``, ``imei``, ``imsi``: where given.

A call with no number at either end, an unreadable number, start or length, a
negative length, or two different values of one of them (two sources that
disagree) is rejected, naming the property.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from nitka.analysis.projection import Entity, Projection
from nitka.analysis.readings import Fact, RejectedError, facts_of, moment, one, phone_key, seconds
from nitka.ingest.cdr import DESCRIPTION_PREFIXES, TOWER_PREFIX
from nitka.store.tables import analysis_call

KIND = "calls"
DESCRIBED = {
    "cell": TOWER_PREFIX,
    "imei": DESCRIPTION_PREFIXES["imei"],
    "imsi": DESCRIPTION_PREFIXES["imsi"],
}
"""The row's columns that the CDR ingest keeps in ``description``, and their prefixes."""
_LIMITS = {"cell": 255, "imei": 32, "imsi": 32}


class CallsProjection(Projection):
    kind = KIND
    table = analysis_call
    schema = "Call"
    props = ("callerNumber", "receiverNumber", "startDate", "date", "duration", "description")

    def row(self, entity: Entity) -> tuple[dict[str, Any], list[Fact]]:
        facts = entity.facts
        callers = facts_of(facts, "callerNumber")
        callees = facts_of(facts, "receiverNumber")
        caller = one(callers, "callerNumber", partial(phone_key, field="callerNumber"),
                     what="caller's number")  # fmt: skip
        callee = one(callees, "receiverNumber", partial(phone_key, field="receiverNumber"),
                     what="receiver's number")  # fmt: skip
        when = "startDate" if facts_of(facts, "startDate") else "date"
        starts = facts_of(facts, when)
        start = one(starts, when, partial(moment, field=when, needs_time=True),
                    what="start of the call")  # fmt: skip
        lengths = facts_of(facts, "duration")
        duration = one(lengths, "duration", partial(seconds, field="duration"),
                       what="length of the call", required=False)  # fmt: skip
        row: dict[str, Any] = {
            "caller": caller,
            "callee": callee,
            "start": start,
            "duration": duration,
        }
        behind = [*callers, *callees, *starts, *lengths]
        descriptions = facts_of(facts, "description")
        for column, prefix in DESCRIBED.items():
            described = [f for f in descriptions if f.value.startswith(prefix)]
            read = partial(_after, prefix=prefix, column=column)
            row[column] = one(described, "description", read, what=column, required=False)
            behind += described
        return row, behind


def _after(value: str, prefix: str, column: str) -> str:
    found = value[len(prefix) :].strip()
    if not found or len(found) > _LIMITS[column]:
        raise RejectedError("description", value, f"{value!r} names no {column} that can be kept")
    return found
