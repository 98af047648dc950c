"""Exports: the store as FtM JSON lines, and a link chart as GraphML or i2 ANX.

Whatever leaves Nitka as a file passes one gate: statements under H2 (not to
be passed on without the provider's permission) or H3 (restrictions stated
with the data) go out only when the export names the provider's permission,
which the audit trail records. The CLI's export and the workstation's chart
export both come through here, so neither can forget it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import WHOLE_STORE, Action
from nitka.access.reading import export_visible, iter_visible
from nitka.access.visibility import READERS, Viewer
from nitka.analysis.chart_files import induced, to_anx, to_csv, to_gexf, to_graphml
from nitka.analysis.graph import Graph, visible_entities
from nitka.model.handling import HandlingCode
from nitka.model.statement import PoliceStatement
from nitka.services.guard import audit, refuse, require, viewer_of
from nitka.store.export import export as export_everything
from nitka.store.reader import count_handled

GATED = (HandlingCode.H2, HandlingCode.H3)
CHART_FORMATS = ("graphml", "gexf", "csv", "anx")


@dataclass
class Restrictions:
    """The statements of an export that need the provider's permission."""

    counts: dict[HandlingCode, int] = field(default_factory=dict)
    notes: set[str] = field(default_factory=set)

    def add(self, stmt: PoliceStatement) -> None:
        if stmt.handling in GATED:
            self.counts[stmt.handling] = self.counts.get(stmt.handling, 0) + 1
            if stmt.handling_note:
                self.notes.add(stmt.handling_note)

    def __bool__(self) -> bool:
        return any(self.counts.values())

    def why(self) -> str:
        held = ", ".join(f"{n:,} statements under {code.value}" for code, n in
                         sorted(self.counts.items()) if n)  # fmt: skip
        text = (
            f"the export would hold {held}, which may not be passed on without the "
            "provider's permission: name it by its reference (the CLI's --permission), "
            "which the audit trail records"
        )
        if self.notes:
            text += "; the providers' restrictions: " + "; ".join(sorted(self.notes))
        return text


def gate(
    conn: Connection,
    actor: Actor,
    subject: dict[str, Any],
    restrictions: Restrictions,
    permission: str | None,
) -> None:
    """Refuse an export that holds H2 or H3 statements and names no permission."""
    if restrictions and not (permission or "").strip():
        raise refuse(conn, actor, Action.EXPORT, subject, restrictions.why(), "permission")


def export_store(
    conn: Connection,
    actor: Actor,
    fh: IO[bytes],
    *,
    path: str,
    statements: bool = False,
    permission: str | None = None,
) -> tuple[int, list[str]]:
    """Write what the actor may see (a local operator: the whole store) as FtM JSON
    lines; returns the lines written and the ids of the entities in them."""
    what = "statements" if statements else "entities"
    subject: dict[str, Any] = {"path": path, "what": what}
    if (permission or "").strip():
        subject["permission"] = permission
    require(conn, actor, READERS, Action.EXPORT, subject)
    viewer = viewer_of(conn, actor)
    gate(conn, actor, subject, _store_restrictions(conn, viewer), permission)
    ids: list[str] = []
    if viewer is None:
        count = export_everything(conn, fh, statements=statements)
    else:
        count, ids = export_visible(conn, viewer, fh, statements=statements)
    # An operator's export is the whole store: no entity list, who-saw finds it by
    # its scope. A user's export names the entities it holds.
    subject["scope"] = WHOLE_STORE if viewer is None else "what the user may see"
    audit(conn, actor, Action.EXPORT, subject, entities=ids, result_size=count)
    return count, ids


def _store_restrictions(conn: Connection, viewer: Viewer | None) -> Restrictions:
    found = Restrictions()
    if viewer is None:
        for code in GATED:
            found.counts[code] = count_handled(conn, code)
        return found
    for shown in iter_visible(conn, viewer):
        for stmt in shown.statements:
            found.add(stmt)
    return found


def export_chart(
    conn: Connection,
    actor: Actor,
    ids: Iterable[str],
    *,
    format: str,
    positions: Mapping[str, Mapping[str, float]] | None = None,
    permission: str | None = None,
) -> bytes:
    """A chart's nodes and their links as GraphML, GEXF, CSV or i2 ANX, as the actor may
    see them."""
    subject: dict[str, Any] = {"chart export": format}
    if (permission or "").strip():
        subject["permission"] = permission
    require(conn, actor, READERS, Action.EXPORT, subject)
    if format not in CHART_FORMATS:
        raise ValueError(f"a chart is exported as one of {', '.join(CHART_FORMATS)}")
    viewer = viewer_of(conn, actor)
    if viewer is None:
        raise refuse(conn, actor, Action.EXPORT, subject, "a chart is a user's", "account")
    graph = induced(conn, viewer, ids)
    gate(conn, actor, subject, _chart_restrictions(conn, viewer, graph), permission)
    audit(conn, actor, Action.EXPORT, subject, entities=graph.entity_ids())
    if format == "graphml":
        return to_graphml(graph)
    if format == "gexf":
        return to_gexf(graph)
    if format == "csv":
        return to_csv(graph)
    return to_anx(graph, positions)


def _chart_restrictions(conn: Connection, viewer: Viewer, graph: Graph) -> Restrictions:
    """The gated statements behind the chart's nodes and the links drawn as edges."""
    ids = set(graph.entity_ids())
    for edge in graph.edges.values():
        ids.update(edge.entities)
    found = Restrictions()
    for shown in visible_entities(conn, viewer, sorted(ids)).values():
        for stmt in shown.statements:
            found.add(stmt)
    return found
