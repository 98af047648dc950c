"""Trip queries over the trips projection: who travelled where and when, and who
travelled together.

Every query reads only the rows whose scope the asker may see (``scopes``):
``None`` reads every row (a local operator).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.engine import Connection

from nitka.errors import FieldError
from nitka.normalise.countries import read_countries
from nitka.store.tables import analysis_trip

LIMIT = 10_000


@dataclass(frozen=True)
class Journey:
    trip: str
    traveller: str
    start: datetime
    end: datetime | None
    origin: str | None
    origin_country: str | None
    destination: str | None
    destination_country: str | None
    carrier: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "trip": self.trip, "traveller": self.traveller, "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None, "origin": self.origin,
            "origin_country": self.origin_country, "destination": self.destination,
            "destination_country": self.destination_country, "carrier": self.carrier,
        }  # fmt: skip


def country_code(value: str | None, field: str) -> str | None:
    """A country as asked for (``Italy``, ``IT``, ``Italian``) as a code; the asker's
    error if it names no country or several."""
    if value is None:
        return None
    codes = read_countries(value).codes
    if len(codes) != 1:
        raise FieldError(f"{value!r} names no one country", field=field)
    return codes[0]


def journeys(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    traveller: str | None = None,
    origin_country: str | None = None,
    destination_country: str | None = None,
    carrier: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = LIMIT,
) -> list[Journey]:
    """Trips as the filters ask, in time order."""
    if scopes is not None and not scopes:
        return []
    trip = analysis_trip.c
    conditions: list[ColumnElement[bool]] = []
    if scopes is not None:
        conditions.append(trip.scope.in_(scopes))
    for column, wanted in ((trip.traveller, traveller), (trip.carrier, carrier),
                           (trip.origin_country, origin_country),
                           (trip.destination_country, destination_country)):  # fmt: skip
        if wanted is not None:
            conditions.append(column == wanted)
    if since is not None:
        conditions.append(trip.start >= since)
    if until is not None:
        conditions.append(trip.start < until)
    query = select(analysis_trip).where(and_(True, *conditions))
    rows = conn.execute(query.order_by(trip.start, trip.id, trip.traveller).limit(limit))
    return [
        Journey(
            row.id,
            row.traveller,
            row.start,
            row.end,
            row.origin,
            row.origin_country,
            row.destination,
            row.destination_country,
            row.carrier,
        )
        for row in rows
    ]


def together(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[tuple[str, str, int, datetime, datetime]]:
    """Pairs of parties tied by trips: two travellers on one trip, and a traveller and
    the trip's organiser or vehicle; with how many trips and the first and last."""
    if scopes is not None and not scopes:
        return []
    left, right = analysis_trip.alias("a"), analysis_trip.alias("b")
    shared = (
        select(
            left.c.traveller,
            right.c.traveller,
            func.count(),
            func.min(left.c.start),
            func.max(left.c.start),
        )
        .join(right, and_(left.c.id == right.c.id, left.c.traveller < right.c.traveller))
        .where(left.c.traveller != "")
        .group_by(left.c.traveller, right.c.traveller)
    )
    carried = (
        select(
            left.c.traveller,
            left.c.carrier,
            func.count(),
            func.min(left.c.start),
            func.max(left.c.start),
        )
        .where(left.c.carrier.is_not(None), left.c.traveller != "")
        .group_by(left.c.traveller, left.c.carrier)
    )
    if scopes is not None:
        shared = shared.where(left.c.scope.in_(scopes), right.c.scope.in_(scopes))
        carried = carried.where(left.c.scope.in_(scopes))
    if since is not None:
        shared, carried = shared.where(left.c.start >= since), carried.where(left.c.start >= since)
    if until is not None:
        shared, carried = shared.where(left.c.start < until), carried.where(left.c.start < until)
    found: list[tuple[str, str, int, datetime, datetime]] = [
        (row[0], row[1], row[2], row[3], row[4])
        for query in (shared, carried)
        for row in conn.execute(query)
    ]
    return found
