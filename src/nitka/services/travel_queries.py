"""Trip queries as the actor may see them (``nitka trips list``): like the call and
payment queries, the projection is brought up to date first, only rows all of whose
statements the actor may see are read, and the audit record names the trips."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.analysis import travel
from nitka.analysis.projection import Progress
from nitka.analysis.travel import Journey, country_code
from nitka.analysis.trips import TripsProjection
from nitka.services.analysis_queries import _caught_up, _reader, _shown


def journeys(
    conn: Connection,
    actor: Actor,
    *,
    traveller: str | None = None,
    origin: str | None = None,
    destination: str | None = None,
    carrier: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    case: str | None = None,
    limit: int = travel.LIMIT,
    progress: Progress | None = None,
) -> list[Journey]:
    """Trips of a traveller, from or to a country, by an organiser, in a period."""
    subject = {"trips": "list", "traveller": traveller, "from": origin, "to": destination,
               "carrier": carrier, "case": case}  # fmt: skip
    viewer = _reader(conn, actor, subject, case)
    origin_code = country_code(origin, "from")
    destination_code = country_code(destination, "to")
    scopes = _caught_up(conn, TripsProjection(), viewer, case, progress)
    found = travel.journeys(conn, scopes, traveller=traveller, origin_country=origin_code,
                            destination_country=destination_code, carrier=carrier,
                            since=since, until=until, limit=limit)  # fmt: skip
    _shown(conn, actor, subject, [j.trip for j in found], len(found))
    return found
