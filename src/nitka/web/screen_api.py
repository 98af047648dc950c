"""``POST /screen`` and the yente-compatible ``POST /match/{dataset}``.

Every request carries an API token (``nitka.web.auth``): the token's account
is the user of every check. Every check states its purpose (header
``X-Nitka-Purpose``, or the ``purpose`` field of a /screen request) and is
logged before it is answered.

The checking routes are coroutines that hand the checks to the screener's
one check thread (a check may look a document up in the store, which may
not hold up the event loop) and await the check log's commit on the event
loop (``nitka.services.screening.screen_request``): one hand-over to a
thread and back per request, no thread waiting on the log. Their
dependencies are cheap coroutines (a token taken lately is answered from
memory), and answers are serialised by orjson straight from plain dicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError

from nitka.access.accounts import Account
from nitka.access.actor import Actor
from nitka.access.visibility import PLACEHOLDER, Sight, Viewer, sight_of
from nitka.screen.checks import DEFAULT_THRESHOLD, Hit
from nitka.screen.recorder import CheckLogError
from nitka.screen.service import MAX_BATCH, Answer, BatchTooLargeError, Screener
from nitka.screen.withdrawals import WithdrawalKind
from nitka.services import lists, screening
from nitka.services.guard import CHECKERS, transaction
from nitka.web.auth import ActorDep, actor_of, requires, stated_purpose, viewer_of
from nitka.web.deps import ScreenerDep, SettingsDep
from nitka.web.deps import screener as screener_of
from nitka.web.deps import settings as settings_of
from nitka.web.metrics import count_checks

router = APIRouter()


class ScreenRequest(BaseModel):
    """One query (``schema`` and ``properties``) or a batch (``queries``)."""

    schema_: str | None = Field(None, alias="schema", examples=["Person"])
    properties: dict[str, Any] | None = Field(
        None, examples=[{"name": ["Oleksandr Petrenko"], "birthDate": ["1984"]}]
    )
    queries: list[Any] | None = Field(None, description=f"At most {MAX_BATCH} queries.")
    purpose: str | None = Field(None, description="Why the check is made (logged).")


def json_response(data: Any) -> Response:
    """An answer serialised by orjson, past FastAPI's slower generic encoder."""
    return Response(orjson.dumps(data), media_type="application/json")


def hit_json(hit: Hit, viewer: Viewer) -> dict[str, Any] | None:
    """A hit as the viewer may see it (``nitka.access.visibility``); None if not at all.

    A placeholder says that there is a hit, on which of the viewer's lists and
    with which caveats, so that the officer holds the person and calls the
    list's owner, without showing whom it is about.
    """
    entry = hit.entry
    sight = sight_of(viewer, entry.sources, entry.protected)
    if sight is Sight.NONE:
        return None
    if sight is Sight.PLACEHOLDER:
        lists = {dataset for case, dataset in entry.sources if viewer.may_see_source(case, dataset)}
        return {
            "id": entry.id,
            "schema": entry.schema,
            "caption": PLACEHOLDER,
            "score": hit.score,
            "explanation": [],
            "lists": sorted(lists),
            "records": [],
            "handling": entry.handling.value,
            "caveats": entry.caveats,
            "properties": {},
            "protected": True,
        }
    return {
        "id": entry.id,
        "schema": entry.schema,
        "caption": entry.caption,
        "score": hit.score,
        "explanation": hit.explanation,
        "lists": list(entry.lists),
        "records": list(entry.records),
        "handling": entry.handling.value,
        "caveats": entry.caveats,
        "properties": entry.proxy.properties,
        "protected": False,
    }


def answer_json(answer: Answer, viewer: Viewer) -> dict[str, Any]:
    if answer.error is not None:
        return {
            "status": 400,
            "log_id": answer.log_id,
            "error": {"field": answer.error.field, "message": answer.error.message},
        }
    assert answer.result is not None
    hits = [hit_json(hit, viewer) for hit in answer.result.hits]
    shown = [hit for hit in hits if hit is not None]
    return {
        "status": 200,
        "log_id": answer.log_id,
        "hit": bool(shown),
        "hits": shown,
    }


class ScreenParameters(BaseModel):
    """The query parameters of ``/screen``."""

    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    limit: int = Field(10, ge=1, le=100)


@dataclass(frozen=True)
class ScreenCall:
    """What ``/screen`` needs besides its body: the screener, the checking account,
    the query parameters and the stated purpose.

    Read by one dependency rather than one per parameter: ``/screen`` is the hot
    path of a border crossing, and FastAPI's solving of seven parameters and
    dependencies cost about 110 µs a request, a third as much again as a check
    (measured: ``bench/screening_speed.py``, ``docs/benchmarks.md``). The
    parameters are still validated by a model and refused with FastAPI's 422,
    and documented in the OpenAPI schema (``SCREEN_PARAMETERS``)."""

    screener: Screener
    account: Account
    parameters: ScreenParameters
    purpose: str | None
    max_age: float
    """Hours after which an offline copy's checks carry a warning (``offline_max_age``)."""


_checker = requires(CHECKERS)


async def screen_call(request: Request) -> ScreenCall:
    """The caller's account first (a request without a valid token learns nothing
    more), then the parameters."""
    found = await screener_of(request)
    chosen = await settings_of(request)
    account = await _checker(request, found.engine, chosen)
    try:
        parameters = ScreenParameters.model_validate(dict(request.query_params))
    except ValidationError as invalid:
        errors = [{**e, "loc": ("query", *e["loc"])} for e in invalid.errors(include_url=False)]
        raise RequestValidationError(errors) from None
    return ScreenCall(
        found, account, parameters, request.headers.get("x-nitka-purpose"), chosen.offline_max_age
    )


SCREEN_PARAMETERS = {
    "parameters": [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": ScreenParameters.model_json_schema()["properties"][name],
        }
        for name in ScreenParameters.model_fields
    ]
    + [
        {
            "name": "X-Nitka-Purpose",
            "in": "header",
            "required": False,
            "description": "Why the check is made (logged); else the body's or the token's.",
            "schema": {"type": "string"},
        }
    ]
}


@router.post("/screen", response_class=Response, openapi_extra=SCREEN_PARAMETERS)
async def screen(
    body: ScreenRequest, request: Request, call: Annotated[ScreenCall, Depends(screen_call)]
) -> Response:
    """Check a person, a travel document or a vehicle (or a batch) against the watch lists."""
    actor = checking_actor(request, call.account, body.purpose, call.purpose)
    batch = body.queries is not None
    queries = body.queries if batch else [{"schema": body.schema_, "properties": body.properties}]
    try:
        checked = await screening.screen_request(
            call.screener,
            actor,
            partial(viewer_of, call.screener.engine, call.account),
            "api",
            check_origin(request, "api"),
            queries or [],
            threshold=call.parameters.threshold,
            limit=call.parameters.limit,
            max_age=call.max_age,
        )
    except BatchTooLargeError as error:
        raise HTTPException(
            status_code=413, detail={"field": error.field, "error": str(error)}
        ) from None
    except CheckLogError as error:
        raise HTTPException(status_code=503, detail=log_unavailable(error)["detail"]) from None
    count_checks("api", checked.answers)
    assert checked.viewer is not None  # an API request is an account's
    status, reply = screen_reply(checked.answers, checked.viewer, batch=batch)
    if status != 200:
        raise HTTPException(status_code=status, detail=reply["detail"])
    if checked.warning is not None:
        reply = {**reply, "warning": checked.warning}
    return warned(json_response(reply), checked.warning)


def warned(response: Response, warning: str | None) -> Response:
    """An answer from an offline copy past its age carries the warning in a header too."""
    if warning is not None:
        response.headers["Warning"] = f'299 nitka "{warning}"'
    return response


def checking_actor(request: Request, account: Account, *stated: str | None) -> Actor:
    """The actor of a check: the purpose stated in the request, else its token's."""
    return actor_of(request, account).for_purpose(stated_purpose(request, *stated))


def check_origin(request: Request, channel: str) -> str:
    """Where a check came from, as the check log records it (``api@addr``)."""
    return f"{channel}@{request.client.host}" if request.client else channel


def log_unavailable(error: CheckLogError) -> dict[str, Any]:
    """The 503 answer when checks cannot be logged, and so are not answered."""
    return {
        "detail": {
            "error": f"{error}; checks are not answered until they can be logged, try again shortly"
        }
    }


def screen_reply(answers: list[Answer], viewer: Viewer, *, batch: bool) -> tuple[int, Any]:
    """The status and body of a ``/screen`` answer: a batch's answers each with
    its own status; a single query's refusal as the request's 422."""
    if not batch:
        answer = answers[0]
        if answer.error is not None:
            return 422, {"detail": answer_json(answer, viewer)["error"]}
        return 200, answer_json(answer, viewer)
    return 200, {"responses": [answer_json(answer, viewer) for answer in answers]}


class EntityExample(BaseModel):
    id: str | None = None
    schema_: str = Field(..., alias="schema")
    properties: dict[str, Any]


class MatchRequest(BaseModel):
    """yente's request: named queries, optional weights (accepted, not used)."""

    queries: dict[str, EntityExample]
    weights: dict[str, float] = Field(default_factory=dict)


@router.post("/match/{dataset}", response_class=Response)
async def match(
    dataset: str,
    body: MatchRequest,
    request: Request,
    screener: ScreenerDep,
    settings: SettingsDep,
    threshold: float = Query(DEFAULT_THRESHOLD, ge=0.0, le=1.0),
    cutoff: float = Query(0.5, ge=0.0, le=1.0),
    limit: int = Query(5, ge=1, le=500),
    x_nitka_purpose: str | None = Header(None),
    account: Account = Depends(requires(CHECKERS)),
) -> Response:
    """The same request and response as yente's ``/match``, so yente clients work unchanged.

    ``dataset`` is a watch list this service loaded, or ``default`` for all.
    """
    actor = checking_actor(request, account, x_nitka_purpose)
    names = list(body.queries)
    queries = [body.queries[name].model_dump(by_alias=True) for name in names]
    try:
        checked = await screening.screen_request(
            screener,
            actor,
            partial(viewer_of, screener.engine, account),
            "api:match",
            check_origin(request, "api:match"),
            queries,
            dataset,
            threshold=cutoff,
            limit=limit,
            max_age=settings.offline_max_age,
        )
    except BatchTooLargeError as error:
        raise HTTPException(status_code=413, detail=str(error)) from None
    except CheckLogError as error:
        raise HTTPException(status_code=503, detail=log_unavailable(error)["detail"]) from None
    count_checks("api:match", checked.answers)
    refused = [(name, a) for name, a in zip(names, checked.answers, strict=True) if a.error]
    if refused:
        name, answer = refused[0]
        assert answer.error is not None
        raise HTTPException(
            status_code=422,
            detail={
                "field": f"queries.{name}.{_within_query(answer.error.field)}",
                "error": answer.error.message,
                "query": name,
                "log_id": answer.log_id,
            },
        )
    viewer = checked.viewer
    assert viewer is not None  # an API request is an account's
    responses: dict[str, Any] = {}
    for name, answer in zip(names, checked.answers, strict=True):
        hits = [] if answer.result is None else answer.result.hits
        shown = [hit_json(hit, viewer) for hit in hits]
        results = [_yente_result(hit, threshold) for hit in shown if hit is not None]
        responses[name] = {
            "status": 200,
            "results": results,
            "total": {"value": len(results), "relation": "eq"},
            "query": answer.query,
        }
    reply = {
        "responses": responses,
        "matcher": {"name": {"description": "Nitka's cross-script name score", "coefficient": 1.0}},
        "limit": limit,
    }
    if checked.warning is not None:
        reply["warning"] = checked.warning
    return warned(json_response(reply), checked.warning)


def _within_query(field: str) -> str:
    """A query's field without the batch position the screener puts before it."""
    return re.sub(r"^queries\[\d+\]\.", "", field)


def _yente_result(hit: dict[str, Any], threshold: float) -> dict[str, Any]:
    """A hit, as shown to the viewer, in yente's shape."""
    return {
        "id": hit["id"],
        "caption": hit["caption"],
        "schema": hit["schema"],
        "properties": hit["properties"],
        "datasets": hit["lists"],
        "referents": [],
        "target": True,
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
        "score": hit["score"],
        "features": {"name": hit["score"]},
        "match": hit["score"] >= threshold,
        "explanation": hit["explanation"],
    }


class RefreshRequest(BaseModel):
    ids: list[str] = Field(..., description="Entity ids an ingest or a withdrawal touched.")


@router.post("/lists/refresh")
def refresh_lists(body: RefreshRequest, screener: ScreenerDep, actor: ActorDep) -> dict[str, Any]:
    """Re-read these entities from the store: new, changed or withdrawn entries take effect
    here at once, and in every other screening process within about a second."""
    with transaction(screener.engine) as conn:
        lists.refresh(conn, actor, body.ids)
    screener.apply(body.ids)
    return {"status": "ok", "entries": len(screener.index)}


class WithdrawalRequest(BaseModel):
    entity_id: str
    reason: str


@router.post("/lists/{listed}/withdraw")
def withdraw_entry(
    listed: str, body: WithdrawalRequest, screener: ScreenerDep, actor: ActorDep
) -> dict[str, Any]:
    """Withdraw an entry from a list (a cancelled notice); checks stop hitting it at once."""
    return _withdrawal(screener, actor, WithdrawalKind.WITHDRAW, listed, body)


@router.post("/lists/{listed}/reinstate")
def reinstate_entry(
    listed: str, body: WithdrawalRequest, screener: ScreenerDep, actor: ActorDep
) -> dict[str, Any]:
    """Put a withdrawn entry back on its list."""
    return _withdrawal(screener, actor, WithdrawalKind.REINSTATE, listed, body)


def _withdrawal(
    screener: Screener, actor: Actor, kind: WithdrawalKind, listed: str, body: WithdrawalRequest
) -> dict[str, Any]:
    if listed not in screener.lists:
        raise HTTPException(status_code=404, detail=f"no watch list {listed!r}")
    change = lists.withdraw if kind is WithdrawalKind.WITHDRAW else lists.reinstate
    # A refusal or a bad request (a ``NitkaError``) is answered by the app's handler.
    with transaction(screener.engine) as conn:
        change(conn, actor, listed, body.entity_id, body.reason)
    # This process at once; the others follow the change sequence.
    screener.apply([body.entity_id])
    return {"status": "ok", "entries": len(screener.index)}
