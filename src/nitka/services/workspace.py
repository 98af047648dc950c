"""The analysis workspace: link charts (expanding, paths, saved charts), the map and
the timeline, as the actor may see them.

Every answer is built with the actor's viewer (need-to-know: an entity outside
the actor's cases and lists is not in it), and is an audit record naming the
entities it showed: a chart expansion discloses entities as much as an entity
page does. A chart's export is ``nitka.services.exports.export_chart`` (the
H2/H3 gate of every export).

The reads take a keyword-only ``read``: the connection their query work runs on (a
replica's, ``nitka.store.replica``), by default ``conn``. The access check, the
viewer (what the actor may see) and the audit record stay on ``conn``, and the
audit record is written last, so that a read the replica fails under runs again on
the primary and is recorded once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action, Outcome
from nitka.access.visibility import READERS, Viewer
from nitka.analysis.chart_files import induced
from nitka.analysis.charts import SavedChart, charts_of_case, load_chart, save_chart
from nitka.analysis.graph import PHONE, Graph, expand
from nitka.analysis.paths import shortest_path
from nitka.analysis.places import Located, Unplaced, places_of
from nitka.analysis.timeline import Item, timeline_of
from nitka.services.guard import NotFoundError, audit, refuse, require, viewer_of
from nitka.services.home import cases_of


@dataclass(frozen=True)
class Desk:
    """What the workspace page offers: the actor's cases and their saved charts."""

    cases: list[dict[str, str]] = field(default_factory=list)
    saved: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class OpenedChart:
    chart: SavedChart
    graph: Graph


def desk(conn: Connection, actor: Actor, *, read: Connection | None = None) -> Desk:
    """The actor's cases and the charts saved in them (names only: no entity shown)."""
    read = read if read is not None else conn
    _reader(conn, actor, Action.VIEW, {"page": "chart"})
    cases = cases_of(conn, actor.name)
    saved = [c.summary() for case in cases for c in charts_of_case(read, case["id"])]
    return Desk(cases, saved)


def expand_chart(
    conn: Connection, actor: Actor, ids: Sequence[str], *, read: Connection | None = None
) -> Graph:
    """The nodes and their neighbours, with the links between them."""
    read = read if read is not None else conn
    subject = {"expand": list(ids)}
    viewer = _reader(conn, actor, Action.VIEW, subject)
    graph = expand(read, viewer, ids)
    _shown(conn, actor, subject, graph.entity_ids())
    return graph


def find_path(
    conn: Connection, actor: Actor, start: str, goal: str, *, read: Connection | None = None
) -> Graph | None:
    """One shortest path between two nodes through what the actor may see, or None."""
    read = read if read is not None else conn
    subject = {"path": [start, goal]}
    viewer = _reader(conn, actor, Action.VIEW, subject)
    found = shortest_path(read, viewer, start, goal)
    _shown(conn, actor, subject, found.entity_ids() if found is not None else [])
    return found


def timeline(
    conn: Connection, actor: Actor, ids: Sequence[str], *, read: Connection | None = None
) -> list[Item]:
    """The dated events of the nodes (trips, calls, payments, messages), in time order."""
    read = read if read is not None else conn
    subject = {"timeline": list(ids)}
    viewer = _reader(conn, actor, Action.VIEW, subject)
    items = timeline_of(read, viewer, ids)
    _shown(conn, actor, subject, [i.id for i in items if not i.id.startswith("message:")])
    return items


def places(
    conn: Connection, actor: Actor, ids: Sequence[str], *, read: Connection | None = None
) -> tuple[list[Located], list[dict[str, Any]], list[Unplaced]]:
    """Points on the map for the entities (phone numbers have none), their routes,
    and the addresses left off the map with the reason."""
    read = read if read is not None else conn
    subject = {"places": list(ids)}
    viewer = _reader(conn, actor, Action.VIEW, subject)
    entities = [i for i in ids if not i.startswith(PHONE)]
    points, routes, unplaced = places_of(read, viewer, entities)
    shown = {p.entity for p in points} | {r["entity"] for r in routes}
    _shown(conn, actor, subject, shown | {u.entity for u in unplaced})
    return points, routes, unplaced


def keep_chart(
    conn: Connection,
    actor: Actor,
    case_id: str,
    name: str,
    ids: list[str],
    positions: dict[str, dict[str, float]],
) -> int:
    """Save (or replace) a chart of this name in one of the actor's cases; its id."""
    subject: dict[str, Any] = {"chart in": case_id, "name": name}
    viewer = _reader(conn, actor, Action.CHANGE, subject)
    if case_id not in viewer.cases:
        raise refuse(conn, actor, Action.CHANGE, subject, "not a member of this case", "case")
    chart_id = save_chart(conn, case_id, name, ids, positions, by=actor.name)
    named = _entities(ids)
    audit(conn, actor, Action.CHANGE, {"chart saved": chart_id, "case": case_id},
          entities=named, result_size=len(named))  # fmt: skip
    return chart_id


def open_chart(
    conn: Connection, actor: Actor, chart_id: int, *, read: Connection | None = None
) -> OpenedChart:
    """A saved chart of one of the actor's cases, drawn with what the actor may see now.
    A chart of another case is answered as one that does not exist."""
    read = read if read is not None else conn
    subject = {"chart": chart_id}
    viewer = _reader(conn, actor, Action.VIEW, subject)
    saved = load_chart(read, chart_id)
    if saved is None or saved.case_id not in viewer.cases:
        audit(conn, actor, Action.VIEW, subject, outcome=Outcome.REFUSED)
        raise NotFoundError(f"no chart {chart_id} in your cases", field="chart")
    graph = induced(read, viewer, saved.ids)
    _shown(conn, actor, subject, graph.entity_ids())
    return OpenedChart(saved, graph)


def _reader(conn: Connection, actor: Actor, action: Action, subject: dict[str, Any]) -> Viewer:
    """The actor's viewer, if the actor's role reads case data; a chart is an
    account's (a local operator has no cases)."""
    require(conn, actor, READERS, action, subject)
    viewer = viewer_of(conn, actor)
    if viewer is None:
        raise refuse(conn, actor, action, subject, "a chart is an account's", "account")
    return viewer


def _entities(ids: Iterable[str]) -> list[str]:
    """Entity ids among chart nodes: a phone number's node is not an entity (it is in
    the subject when it was asked for)."""
    return sorted({i for i in ids if not i.startswith(PHONE)})


def _shown(conn: Connection, actor: Actor, subject: dict[str, Any], ids: Iterable[str]) -> None:
    """The audit record of an answer: the entities it showed."""
    shown = _entities(ids)
    audit(conn, actor, Action.VIEW, subject, entities=shown, result_size=len(shown))
