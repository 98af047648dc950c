"""The ready queries for the seeds' typologies, as the actor may see them
(``nitka typology ...``, docs/analysis.md).

Like the other analysis queries, each first brings the projections it reads up to
date, reads only the rows all of whose statements the actor may see (of one case,
if asked), uses only the statements tying numbers and accounts to persons that the
actor may see (``nitka.analysis.ties``), and writes an audit record naming the
entities of the answer and the calls, payments and trips behind it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.analysis.calls import CallsProjection
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import Progress, Projection, catch_up
from nitka.analysis.scopes import visible_scopes
from nitka.analysis.ties import Seen, seeing
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
    kinds = (TripsProjection(), PaymentsProjection())
    asked = _asking(conn, actor, benefit_cards.NAME, params, case, kinds, progress)
    return _answer(conn, actor, asked, benefit_cards.find(conn, asked.scopes, asked.seen, params))


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
    kinds = (CallsProjection(), TripsProjection(), PaymentsProjection())
    asked = _asking(conn, actor, boat_drivers.NAME, params, case, kinds, progress)
    return _answer(conn, actor, asked, boat_drivers.find(conn, asked.scopes, asked.seen, params))


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
    kinds = (CallsProjection(), PaymentsProjection())
    asked = _asking(conn, actor, call_centre.NAME, params, case, kinds, progress)
    return _answer(conn, actor, asked, call_centre.find(conn, asked.scopes, asked.seen, params))


@dataclass(frozen=True)
class _Asked:
    subject: dict[str, Any]
    scopes: list[int] | None
    seen: Seen


def _asking(
    conn: Connection,
    actor: Actor,
    name: str,
    params: Any,
    case: str | None,
    projections: tuple[Projection, ...],
    progress: Progress | None,
) -> _Asked:
    """Check the actor and the parameters, bring the projections up to date, and say
    what the actor may see."""
    values = {key: list(v) if isinstance(v, tuple) else v for key, v in asdict(params).items()}
    subject = {"typology": name, **values, "case": case}
    viewer = _reader(conn, actor, subject, case)
    params.check()
    for projection in projections:
        catch_up(conn, projection, progress)
    return _Asked(subject, visible_scopes(conn, viewer, case), seeing(viewer, case))


def _answer(conn: Connection, actor: Actor, asked: _Asked, found: Findings) -> list[Found]:
    """The answer, after its audit record: the entities in it and the records behind."""
    answer = found.all()
    named = {f.entity for f in answer if not f.entity.startswith(PHONE)}
    _shown(conn, actor, asked.subject, sorted(named | found.behind), len(answer))
    return answer
