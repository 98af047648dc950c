"""The analysis workspace (link chart, map, timeline) and the JSON it reads.

Every answer comes from a service (``nitka.services.workspace``, and
``nitka.services.exports`` for a chart's export): built from what the signed-in
user may see, and an audit record naming the entities it showed. The chart, the
path, the timeline, the map and a saved chart are read on the replica when one is
configured (``ReadingDep``, docs/replica.md); the Analysis panel's queries are not:
their projections write while they catch up.
"""

from __future__ import annotations

import csv
from functools import cache
from typing import Any

import orjson
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from nitka.analysis.places import GAZETTEER, Unplaced
from nitka.normalise.romanize import romanize_uk
from nitka.services import exports
from nitka.services import workspace as space
from nitka.services.guard import NotFoundError, RefusedError, transaction
from nitka.web.analysis_api import read_args
from nitka.web.analysis_table import GROUP_TITLES, GROUPS, QUERIES, Param
from nitka.web.deps import EngineDep
from nitka.web.reading import ReadingDep
from nitka.web.ui.guard import ReaderDep
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.model_labels import label_graph
from nitka.web.ui.templating import render
from nitka.web.ui.timeline_words import timeline_item

router = APIRouter(include_in_schema=False)
IDS = Query(..., min_length=1, max_length=500, alias="id")


@router.get("/ui/chart", response_class=HTMLResponse)
def workspace(
    request: Request,
    engine: EngineDep,
    reading: ReadingDep,
    actor: ReaderDep,
    id: list[str] = Query([], max_length=50),
    chart: int | None = None,
) -> Response:
    with transaction(engine) as conn:
        desk = reading.run(conn, lambda read: space.desk(conn, actor, read=read))
    context = {
        "start": id,
        "chart_id": chart or "",
        "cases": desk.cases,
        "saved": desk.saved,
        "analysis": _analysis_form(),
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
            "running": _("Running the query…"),
            "rows": _("{rows} rows."),
            "noRows": _("No rows you may see."),
            "opened": _("{ids} calls, payments, trips or numbers of the answer on the chart."),
            "nothingToOpen": _("Nothing of this answer can be drawn on the chart."),
            "tooMany": _("Only the first {shown} of {ids} are drawn."),
        },
    }
    return render(request, "workspace.html", context, account=actor.account)


@router.get("/ui/api/graph/expand")
def graph_expand(
    engine: EngineDep, reading: ReadingDep, actor: ReaderDep, ids: list[str] = IDS
) -> Response:
    with transaction(engine) as conn:
        graph = reading.run(conn, lambda read: space.expand_chart(conn, actor, ids, read=read))
    return _json(label_graph(graph.as_dict()))


@router.get("/ui/api/graph/path")
def graph_path(
    engine: EngineDep,
    reading: ReadingDep,
    actor: ReaderDep,
    start: str = Query(..., alias="from", max_length=300),
    goal: str = Query(..., alias="to", max_length=300),
) -> Response:
    with transaction(engine) as conn:
        found = reading.run(conn, lambda read: space.find_path(conn, actor, start, goal, read=read))
    return _json(label_graph(found.as_dict()) if found is not None else {"nodes": [], "edges": []})


@router.get("/ui/api/timeline")
def timeline(
    engine: EngineDep, reading: ReadingDep, actor: ReaderDep, ids: list[str] = IDS
) -> Response:
    with transaction(engine) as conn:
        items = reading.run(conn, lambda read: space.timeline(conn, actor, ids, read=read))
    return _json({"items": [timeline_item(item) for item in items]})


@router.get("/ui/api/places")
def places(
    engine: EngineDep, reading: ReadingDep, actor: ReaderDep, ids: list[str] = IDS
) -> Response:
    with transaction(engine) as conn:
        points, routes, unplaced = reading.run(
            conn, lambda read: space.places(conn, actor, ids, read=read)
        )
    return _json(
        {
            "places": [p.as_dict() for p in points],
            "routes": routes,
            "unplaced": [{**u.as_dict(), "why": _why(u)} for u in unplaced],
        }
    )


def _analysis_form() -> list[dict[str, Any]]:
    """The Analysis panel's choices: each group of queries, each query with its
    parameters, in the user's language (``nitka.web.analysis_table``)."""
    return [
        {
            "title": _(GROUP_TITLES[group]),
            "queries": [
                {
                    "key": q.key,
                    "title": _(q.title),
                    "params": [_param_form(p) for p in q.params],
                }
                for q in queries
            ],
        }
        for group, queries in GROUPS.items()
    ]


def _param_form(param: Param) -> dict[str, Any]:
    return {
        "name": param.name,
        "label": _(param.label),
        "required": param.required,
        "default": "" if param.default is None or param.kind is bool else param.default,
        "checked": param.default is True,
        "number": param.kind in (int, float),
        "flag": param.kind is bool,
        "step": "any" if param.kind is float else 1,
        "least": param.least,
        "most": param.most,
        "choices": param.choices,
        "numbers": param.numbers,
        "case": param.name == "case",
    }


@router.get("/ui/api/analysis/{group}/{name}")
def analysis(
    group: str, name: str, request: Request, engine: EngineDep, actor: ReaderDep
) -> Response:
    """A query of the Analysis panel: its rows as the API answers them, and the ids of
    what the rows stand for (calls, payments, trips, numbers) to open in the chart."""
    query = QUERIES.get(f"{group}/{name}")
    if query is None:
        raise HTTPException(404, {"field": "query", "error": _("No such query.")})
    args = read_args(query, {k: request.query_params.getlist(k) for k in request.query_params})
    with transaction(engine) as conn:
        found = query.run(conn, actor, args)
    answer = query.answer(found)
    rows = answer if isinstance(answer, list) else [] if answer is None else [answer]
    return _json({"rows": rows, "ids": list(dict.fromkeys(query.charted(found, args)))})


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
def save(body: ChartBody, engine: EngineDep, actor: ReaderDep) -> Response:
    try:
        with transaction(engine) as conn:
            chart_id = space.keep_chart(conn, actor, body.case, body.name, body.ids, body.positions)
    except RefusedError as refused:
        if refused.field != "case":
            raise
        raise HTTPException(
            403, {"field": "case", "error": _("You are not a member of this case.")}
        ) from None
    return _json({"id": chart_id, "case": body.case, "name": body.name})


@router.get("/ui/api/charts/{chart_id}")
def open_chart(chart_id: int, engine: EngineDep, reading: ReadingDep, actor: ReaderDep) -> Response:
    try:
        with transaction(engine) as conn:
            opened = reading.run(
                conn, lambda read: space.open_chart(conn, actor, chart_id, read=read)
            )
    except NotFoundError:
        raise HTTPException(
            404, {"field": "chart", "error": _("No such chart in your cases.")}
        ) from None
    saved = opened.chart
    return _json(
        {
            **saved.summary(),
            "graph": label_graph(opened.graph.as_dict()),
            "positions": saved.positions,
        }
    )


MEDIA_TYPES = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "csv": "text/csv; charset=utf-8",
    "anx": "application/xml",
}


@router.post("/ui/api/charts/export")
def export_chart(
    body: ChartBody,
    engine: EngineDep,
    actor: ReaderDep,
    format: str = Query(..., pattern="^(graphml|gexf|csv|anx)$"),
    permission: str | None = Query(None, max_length=500),
) -> Response:
    """The chart's nodes and their links as GraphML, GEXF, CSV or i2 ANX: an export,
    recorded as one.
    Data under H2 or H3 leaves only with its provider's permission (``permission``)."""
    with transaction(engine) as conn:
        data = exports.export_chart(
            conn,
            actor,
            body.ids,
            format=format,
            positions=body.positions,
            permission=permission,
        )
    media = MEDIA_TYPES[format]
    return Response(data, media_type=media)


@router.get("/ui/basemap/hromadas.json")
def hromadas(_: ReaderDep) -> Response:
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


def _json(data: Any) -> Response:
    return Response(orjson.dumps(data), media_type="application/json")
