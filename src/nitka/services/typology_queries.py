"""The ready queries for the seeds' typologies, as the actor may see them
(``nitka typology ...``, docs/analysis.md).

Like the other analysis queries, each first brings the projections it reads up to
date, reads only the rows all of whose statements the actor may see (of one case,
if asked), uses only the statements tying numbers and accounts to persons that the
actor may see (``nitka.analysis.ties``), and writes an audit record naming the
entities of the answer and the calls, payments and trips behind it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.analysis.calls import CallsProjection
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import Progress, Projection, catch_up
from nitka.analysis.scopes import visible_scopes
from nitka.analysis.ties import seeing
from nitka.analysis.travel import country_code
from nitka.analysis.trips import TripsProjection
from nitka.analysis.typologies import benefit_cards, boat_drivers, call_centre
from nitka.analysis.typologies.found import PHONE, Findings, Found
from nitka.analysis.typologies.registry import TYPOLOGIES, Typology
from nitka.services.analysis_queries import _reader, _shown


def catalogue() -> list[Typology]:
    """The saved ready queries with their parameters (no data: nothing to check)."""
    return list(TYPOLOGIES.values())


def benefit_cards_query(
    conn: Connection,
    actor: Actor,
    params: benefit_cards.Parameters | None = None,
    *,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Found]:
    """Organisers of trips whose travellers' cards pay into a collector or are held."""
    params = params or benefit_cards.Parameters()
    subject = _subject(benefit_cards.NAME, params, case)
    viewer = _reader(conn, actor, subject, case)
    params.check()
    _caught_up(conn, (TripsProjection(), PaymentsProjection()), progress)
    found = benefit_cards.find(conn, visible_scopes(conn, viewer, case), seeing(viewer, case),
                               params)  # fmt: skip
    return _answer(conn, actor, subject, found)


def boat_drivers_query(
    conn: Connection,
    actor: Actor,
    params: boat_drivers.Parameters | None = None,
    *,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Found]:
    """Numbers calling young men who then travel to a departure country."""
    params = params or boat_drivers.Parameters()
    subject = _subject(boat_drivers.NAME, params, case)
    viewer = _reader(conn, actor, subject, case)
    params.check()
    countries = {country_code(c, "countries") or "" for c in params.countries}
    _caught_up(conn, (CallsProjection(), TripsProjection(), PaymentsProjection()), progress)
    found = boat_drivers.find(conn, visible_scopes(conn, viewer, case), seeing(viewer, case),
                              params, countries)  # fmt: skip
    return _answer(conn, actor, subject, found)


def call_centre_query(
    conn: Connection,
    actor: Actor,
    params: call_centre.Parameters | None = None,
    *,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Found]:
    """A few numbers calling many payers of a few collector accounts."""
    params = params or call_centre.Parameters()
    subject = _subject(call_centre.NAME, params, case)
    viewer = _reader(conn, actor, subject, case)
    params.check()
    _caught_up(conn, (CallsProjection(), PaymentsProjection()), progress)
    found = call_centre.find(conn, visible_scopes(conn, viewer, case), seeing(viewer, case),
                             params)  # fmt: skip
    return _answer(conn, actor, subject, found)


def _subject(name: str, params: Any, case: str | None) -> dict[str, Any]:
    values = {key: list(v) if isinstance(v, tuple) else v for key, v in asdict(params).items()}
    return {"typology": name, **values, "case": case}


def _caught_up(
    conn: Connection, projections: tuple[Projection, ...], progress: Progress | None
) -> None:
    for projection in projections:
        catch_up(conn, projection, progress)


def _answer(
    conn: Connection, actor: Actor, subject: dict[str, Any], found: Findings
) -> list[Found]:
    """The answer, after its audit record: the entities in it and the records behind."""
    answer = found.all()
    named = {f.entity for f in answer if not f.entity.startswith(PHONE)}
    _shown(conn, actor, subject, sorted(named | found.behind), len(answer))
    return answer
