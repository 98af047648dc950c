"""Networks of calls and payments, as the actor may see them: communities, brokers,
key players, and paths in time order (``nitka network ...``).

Like the single queries (``analysis_queries``), each brings its projection up to
date first and reads only the rows all of whose statements the actor may see,
of one case if asked; the audit record names the query and the size of its
answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.analysis import network
from nitka.analysis.calls import CallsProjection
from nitka.analysis.contacts import number_keys
from nitka.analysis.network import Broker, Community, KeyPlayer, On, TimePath
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import Progress, Projection
from nitka.errors import FieldError
from nitka.ingest.transactions import account_key
from nitka.services.analysis_queries import _caught_up, _reader, _shown


def _projection(on: str) -> Projection:
    if on == "calls":
        return CallsProjection()
    if on == "payments":
        return PaymentsProjection()
    raise FieldError(f"a network is of {' or '.join(network.ON)}, not {on!r}", field="on")


def _ties(
    conn: Connection,
    actor: Actor,
    subject: dict[str, Any],
    on: On,
    case: str | None,
    since: datetime | None,
    until: datetime | None,
    progress: Progress | None,
) -> list[network.Tie]:
    projection = _projection(on)
    viewer = _reader(conn, actor, subject, case)
    scopes = _caught_up(conn, projection, viewer, case, progress)
    return network.ties(conn, on, scopes, since=since, until=until)


def communities(
    conn: Connection,
    actor: Actor,
    on: On,
    *,
    resolution: float = 1.0,
    min_size: int = 3,
    case: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: Progress | None = None,
) -> list[Community]:
    """Groups of parties that call or pay each other more than the rest (Leiden)."""
    subject = {"network": "communities", "on": on, "resolution": resolution, "case": case}
    found = network.communities(
        _ties(conn, actor, subject, on, case, since, until, progress),
        resolution=resolution,
        min_size=min_size,
    )
    _shown(conn, actor, subject, [], len(found))
    return found


def brokers(
    conn: Connection,
    actor: Actor,
    on: On,
    *,
    limit: int = 10,
    case: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: Progress | None = None,
) -> list[Broker]:
    """The parties most shortest paths run through (betweenness)."""
    subject = {"network": "brokers", "on": on, "limit": limit, "case": case}
    found = network.brokers(
        _ties(conn, actor, subject, on, case, since, until, progress), limit=limit
    )
    _shown(conn, actor, subject, [], len(found))
    return found


def key_players(
    conn: Connection,
    actor: Actor,
    on: On,
    *,
    limit: int = 10,
    case: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: Progress | None = None,
) -> list[KeyPlayer]:
    """The parties whose removal cuts the most others off."""
    subject = {"network": "key players", "on": on, "limit": limit, "case": case}
    found = network.key_players(
        _ties(conn, actor, subject, on, case, since, until, progress), limit=limit
    )
    _shown(conn, actor, subject, [], len(found))
    return found


def time_path(
    conn: Connection,
    actor: Actor,
    on: On,
    source: str,
    target: str,
    *,
    within: timedelta = timedelta(days=7),
    case: str | None = None,
    since: datetime | None = None,
    progress: Progress | None = None,
) -> TimePath | None:
    """The earliest chain of calls or payments from one party to another in time order."""
    subject = {"network": "path", "on": on, "from": source, "to": target, "case": case,
               "within_hours": within.total_seconds() / 3600}  # fmt: skip
    projection = _projection(on)
    viewer = _reader(conn, actor, subject, case)
    scopes = _caught_up(conn, projection, viewer, case, progress)
    found = network.time_path(conn, on, scopes, _key(on, source, "from"),
                              _key(on, target, "to"), within=within, since=since)  # fmt: skip
    _shown(conn, actor, subject, [s.id for s in found.steps] if found else [], int(bool(found)))
    return found


def _key(on: On, party: str, field: str) -> str:
    """A party as the projection keeps it (a number's digits, an account's number)."""
    if on == "calls":
        return number_keys([party], field)[0]
    key = account_key(party)
    if not key:
        raise FieldError(f"{party!r} is no account number", field=field)
    return key
