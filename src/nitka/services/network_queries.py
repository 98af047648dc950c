"""Networks of calls, payments, trips and the statements' relations, as the actor
may see them: communities, brokers, key players, and paths in time order
(``nitka network ...``).

Like the single queries (``analysis_queries``), each brings its projection up to
date first and reads only the rows all of whose statements the actor may see,
of one case if asked; the audit record names the query and the size of its
answer. The network of the statements (``analysis.relations``) needs no
projection: it reads the relations the actor may see as the link chart does, and
its audit record names the entities of the answer too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.analysis import network, relations
from nitka.analysis.calls import CallsProjection
from nitka.analysis.contacts import number_keys
from nitka.analysis.network import Broker, Community, KeyPlayer, On, TimePath
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import Progress, Projection
from nitka.analysis.trips import TripsProjection
from nitka.errors import FieldError
from nitka.ingest.transactions import account_key
from nitka.services.analysis_queries import _caught_up, _reader, _shown


def _projection(on: str) -> Projection:
    if on == "calls":
        return CallsProjection()
    if on == "payments":
        return PaymentsProjection()
    if on == "trips":
        return TripsProjection()
    raise FieldError(f"a network is of {', '.join(network.ON)}, not {on!r}", field="on")


@dataclass(frozen=True)
class Drawn:
    """What a network is drawn from: calls, payments, trips or the statements' relations,
    of one case or all the actor's, in a period (not for relations, which have no one
    time)."""

    on: On = "calls"
    case: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def subject(self, query: str, **more: Any) -> dict[str, Any]:
        return {"network": query, "on": self.on, "case": self.case, **more}


def _ties(
    conn: Connection,
    actor: Actor,
    subject: dict[str, Any],
    drawn: Drawn,
    progress: Progress | None,
) -> list[network.Tie]:
    if drawn.on == "statements":
        viewer = _reader(conn, actor, subject, drawn.case)
        if drawn.since is not None or drawn.until is not None:
            raise FieldError(
                "--since and --until are for calls, payments and trips: "
                "a relation between entities has no one time",
                field="since",
            )
        return relations.ties(conn, viewer, drawn.case)
    scopes = _scopes(conn, actor, subject, drawn, progress)
    return network.ties(conn, drawn.on, scopes, since=drawn.since, until=drawn.until)


def _entities(drawn: Drawn, parties: list[str]) -> list[str]:
    """What the audit record names: the entities of an answer on the statements (the
    other networks' parties are numbers and accounts, not entities)."""
    return parties if drawn.on == "statements" else []


def _scopes(
    conn: Connection,
    actor: Actor,
    subject: dict[str, Any],
    drawn: Drawn,
    progress: Progress | None,
) -> list[int] | None:
    projection = _projection(drawn.on)
    viewer = _reader(conn, actor, subject, drawn.case)
    return _caught_up(conn, projection, viewer, drawn.case, progress)


def communities(
    conn: Connection,
    actor: Actor,
    drawn: Drawn,
    *,
    resolution: float = 1.0,
    min_size: int = 3,
    progress: Progress | None = None,
) -> list[Community]:
    """Groups of parties tied to each other more than to the rest (Leiden)."""
    subject = drawn.subject("communities", resolution=resolution)
    found = network.communities(
        _ties(conn, actor, subject, drawn, progress), resolution=resolution, min_size=min_size
    )
    _shown(conn, actor, subject, _entities(drawn, [m for g in found for m in g.members]),
           len(found))  # fmt: skip
    return found


def brokers(
    conn: Connection, actor: Actor, drawn: Drawn, *, limit: int = 10,
    progress: Progress | None = None,
) -> list[Broker]:  # fmt: skip
    """The parties most shortest paths run through (betweenness)."""
    subject = drawn.subject("brokers", limit=limit)
    found = network.brokers(_ties(conn, actor, subject, drawn, progress), limit=limit)
    _shown(conn, actor, subject, _entities(drawn, [b.party for b in found]), len(found))
    return found


def key_players(
    conn: Connection, actor: Actor, drawn: Drawn, *, limit: int = 10,
    progress: Progress | None = None,
) -> list[KeyPlayer]:  # fmt: skip
    """The parties whose removal cuts the most others off."""
    subject = drawn.subject("key players", limit=limit)
    found = network.key_players(_ties(conn, actor, subject, drawn, progress), limit=limit)
    _shown(conn, actor, subject, _entities(drawn, [p.party for p in found]), len(found))
    return found


def time_path(
    conn: Connection,
    actor: Actor,
    drawn: Drawn,
    source: str,
    target: str,
    *,
    within: timedelta = timedelta(days=7),
    progress: Progress | None = None,
) -> TimePath | None:
    """The earliest chain of calls or payments from one party to another in time order."""
    if drawn.on not in ("calls", "payments"):
        raise FieldError("a path in time order is of calls or payments", field="on")
    subject = drawn.subject("path", source=source, target=target,
                            within_hours=within.total_seconds() / 3600)  # fmt: skip
    scopes = _scopes(conn, actor, subject, drawn, progress)
    found = network.time_path(
        conn, drawn.on, scopes, _key(drawn.on, source, "from"), _key(drawn.on, target, "to"),
        within=within, since=drawn.since,
    )  # fmt: skip
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
