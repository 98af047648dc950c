"""``GET /livez`` and ``GET /readyz``: for the orchestrator (compose, Kubernetes, a
load balancer), with no token and nothing about a person in them.

``/livez`` answers while the process can answer at all: an orchestrator restarts
a worker that stops answering it. ``/readyz`` answers 200 only when this worker
can serve: the database answers, its schema is this Nitka's newest (an upgrade
not yet run by ``nitka init`` keeps the server out of the load balancer rather
than failing requests), and the screening index is loaded when the server
checks against watch lists. Otherwise 503, naming the check that failed and why.

``/healthz`` (``nitka.web.app``) stays the signed-in user's view of the worker:
which lists it checks and how many entries it holds.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from nitka.screen.service import Screener
from nitka.store.health import NotReady, store_not_ready
from nitka.web.deps import ScreenerDep
from nitka.web.screen_api import json_response

router = APIRouter(tags=["operations"])


@router.get("/livez")
async def live() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", response_class=Response, responses={503: {"description": "Not ready."}})
async def ready(screener: ScreenerDep) -> Response:
    """Ready to serve: the store answers at this Nitka's schema, the index is loaded."""
    not_ready = await run_in_threadpool(_not_ready, screener)
    if not_ready is not None:
        body = {"status": "not ready", "check": not_ready.check, "reason": not_ready.reason}
        response = json_response(body)
        response.status_code = 503
        return response
    return json_response({"status": "ready"})


def _not_ready(screener: Screener) -> NotReady | None:
    found = store_not_ready(screener.engine)
    if found is not None:
        return found
    if screener.lists and getattr(screener, "index", None) is None:
        return NotReady("screening", "the watch lists are not loaded yet")
    return None
