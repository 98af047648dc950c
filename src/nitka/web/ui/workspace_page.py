"""The analysis workspace (link chart, map, timeline) and the JSON it reads.

Every answer is built from what the signed-in user may see, and is an audit
record naming the entities it showed: a chart expansion discloses entities
as much as an entity page does.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account
from nitka.access.audit import Action
from nitka.access.visibility import READERS, Viewer
from nitka.analysis.chart_files import induced
from nitka.analysis.charts import ChartError, charts_of_case, load_chart, save_chart
from nitka.analysis.graph import PHONE, expand
from nitka.analysis.paths import shortest_path
from nitka.analysis.places import GAZETTEER, Unplaced, places_of
from nitka.analysis.timeline import timeline_of
from nitka.normalise.romanize import romanize_uk
from nitka.services import exports
from nitka.services.guard import transaction
from nitka.web.auth import actor_of
from nitka.web.deps import EngineDep
from nitka.web.ui.guard import page_user
from nitka.web.ui.home_page import my_cases
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.model_labels import label_graph, label_timeline_item
from nitka.web.ui.recording import record
from nitka.web.ui.templating import render

router = APIRouter(include_in_schema=False)
IDS = Query(..., min_length=1, max_length=500, alias="id")
READER = Depends(page_user(READERS))


@router.get("/ui/chart", response_class=HTMLResponse)
def workspace(
    request: Request,
    engine: EngineDep,
    id: list[str] = Query([], max_length=50),
    chart: int | None = None,
    account: Account = READER,
) -> Response:
    with engine.connect() as conn:
        cases = my_cases(conn, account.name)
        saved = [c.summary() for case in cases for c in charts_of_case(conn, case["id"])]
    context = {
        "start": id,
        "chart_id": chart or "",
        "cases": cases,
        "saved": saved,
        "texts": {
            "shown": _("{nodes} nodes, {edges} links on the chart."),
            "truncated": _("Not every neighbour is shown: there are too many."),
            "loading": _("Loading…"),
            "searching": _("Looking for a path…"),
            "noPath": _("No path between them that you may see."),
            "pathFound": _("A path of {links} links."),
            "pickTwo": _("Click two nodes to select them, then ask for the path between them."),
            "saved": _("Saved as “{name}”."),
            "saveNeeds": _("Choose a case and a name to save the chart."),
            "permission": _(
                "The provider's permission (its reference), recorded in the audit trail:"
            ),
            "notPlaced": _("Not on the map ({count}):"),
            "groupCase": _("case {id}"),
            "groupCommunity": _("community {n}"),
        },
    }
    return render(request, "workspace.html", context, account=account)


@router.get("/ui/api/graph/expand")
def graph_expand(
    request: Request, engine: EngineDep, ids: list[str] = IDS, account: Account = READER
) -> Response:
    with _reading(request, engine, account, {"expand": ids}) as (conn, viewer, shown):
        graph = expand(conn, viewer, ids)
        shown.extend(graph.entity_ids())
    return _json(label_graph(graph.as_dict()))


@router.get("/ui/api/graph/path")
def graph_path(
    request: Request,
    engine: EngineDep,
    start: str = Query(..., alias="from", max_length=300),
    goal: str = Query(..., alias="to", max_length=300),
    account: Account = READER,
) -> Response:
    with _reading(request, engine, account, {"path": [start, goal]}) as (conn, viewer, shown):
        found = shortest_path(conn, viewer, start, goal)
        if found is not None:
            shown.extend(found.entity_ids())
    return _json(label_graph(found.as_dict()) if found is not None else {"nodes": [], "edges": []})


@router.get("/ui/api/timeline")
def timeline(
    request: Request, engine: EngineDep, ids: list[str] = IDS, account: Account = READER
) -> Response:
    with _reading(request, engine, account, {"timeline": ids}) as (conn, viewer, shown):
        items = timeline_of(conn, viewer, ids)
        shown.extend(i.id for i in items if not i.id.startswith("message:"))
    return _json({"items": [label_timeline_item(item.as_dict()) for item in items]})


@router.get("/ui/api/places")
def places(
    request: Request, engine: EngineDep, ids: list[str] = IDS, account: Account = READER
) -> Response:
    entity_ids = [i for i in ids if not i.startswith(PHONE)]
    with _reading(request, engine, account, {"places": ids}) as (conn, viewer, shown):
        points, routes, unplaced = places_of(conn, viewer, entity_ids)
        shown.extend(
            {p.entity for p in points}
            | {r["entity"] for r in routes}
            | {u.entity for u in unplaced}
        )
    return _json(
        {
            "places": [p.as_dict() for p in points],
            "routes": routes,
            "unplaced": [{**u.as_dict(), "why": _why(u)} for u in unplaced],
        }
    )


def _why(left: Unplaced) -> str:
    """Why an address is not on the map, in the user's language."""
    detail = left.detail
    if left.reason == "ambiguous":
        return _("ambiguous: {count} places named {name}").format(**detail)
    if left.reason == "several places":
        return _("names several places: {names}").format(**detail)
    if left.reason == "country disagrees":
        return _("country disagrees: {name} is in {country}, the address says {expected}").format(
            **{**detail, "country": str(detail["country"]).upper(),
               "expected": str(detail["expected"]).upper()}
        )  # fmt: skip
    if left.reason == "not in gazetteer":
        return _("place not in the gazetteer: {name}").format(**detail)
    return _("no place name found")


class ChartBody(BaseModel):
    case: str = Field("", max_length=255)
    name: str = Field("", max_length=255)
    ids: list[str] = Field(..., max_length=5000)
    positions: dict[str, dict[str, float]] = Field(default_factory=dict)


@router.post("/ui/api/charts")
def save(
    body: ChartBody, request: Request, engine: EngineDep, account: Account = READER
) -> Response:
    with engine.begin() as conn:
        viewer = Viewer.of(conn, account)
        if body.case not in viewer.cases:
            raise HTTPException(
                403, {"field": "case", "error": _("You are not a member of this case.")}
            )
        try:
            chart_id = save_chart(
                conn, body.case, body.name, body.ids, body.positions, by=account.name
            )
        except ChartError as error:
            raise HTTPException(400, {"field": error.field, "error": str(error)}) from None
        subject = {"chart saved": chart_id, "case": body.case}
        record(conn, request, account, Action.CHANGE, subject, body.ids)
    return _json({"id": chart_id, "case": body.case, "name": body.name})


@router.get("/ui/api/charts/{chart_id}")
def open_chart(
    chart_id: int, request: Request, engine: EngineDep, account: Account = READER
) -> Response:
    with _reading(request, engine, account, {"chart": chart_id}) as (conn, viewer, shown):
        saved = load_chart(conn, chart_id)
        if saved is None or saved.case_id not in viewer.cases:
            raise HTTPException(404, {"field": "chart", "error": _("No such chart in your cases.")})
        graph = induced(conn, viewer, saved.ids)
        shown.extend(graph.entity_ids())
    graph_data = label_graph(graph.as_dict())
    return _json({**saved.summary(), "graph": graph_data, "positions": saved.positions})


@router.post("/ui/api/charts/export")
def export_chart(
    body: ChartBody,
    request: Request,
    engine: EngineDep,
    format: str = Query(..., pattern="^(graphml|anx)$"),
    permission: str | None = Query(None, max_length=500),
    account: Account = READER,
) -> Response:
    """The chart's nodes and their links as GraphML or i2 ANX: an export, recorded as one.
    Data under H2 or H3 leaves only with its provider's permission (``permission``)."""
    with transaction(engine) as conn:
        data = exports.export_chart(
            conn,
            actor_of(request, account),
            body.ids,
            format=format,
            positions=body.positions,
            permission=permission,
        )
    media = "application/graphml+xml" if format == "graphml" else "application/xml"
    return Response(data, media_type=media)


@router.get("/ui/basemap/hromadas.json")
def hromadas(_: Account = READER) -> Response:
    """The map's offline layer of place names: each hromada centre, in Ukrainian and Latin."""
    return Response(_hromadas(), media_type="application/json")


@cache
def _hromadas() -> bytes:
    with GAZETTEER.open(encoding="utf-8", newline="") as fh:
        rows = [
            [f"{r['place']} ({romanize_uk(r['place']).title()})", float(r["lat"]), float(r["lon"])]
            for r in csv.DictReader(fh)
        ]
    return orjson.dumps(rows)


@contextmanager
def _reading(
    request: Request, engine: Engine, account: Account, subject: dict[str, Any]
) -> Iterator[tuple[Connection, Viewer, list[str]]]:
    """A read transaction that ends with an audit record of the entities shown
    (the caller adds them to the list it is given)."""
    shown: list[str] = []
    with engine.begin() as conn:
        yield conn, Viewer.of(conn, account), shown
        record(conn, request, account, Action.VIEW, subject, sorted(set(shown)))


def _json(data: Any) -> Response:
    return Response(orjson.dumps(data), media_type="application/json")
