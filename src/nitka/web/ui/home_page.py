"""The start page: what the store holds and its latest ingests, my cases, my
deadlines, my recent screening hits, and the messages waiting for me."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from nitka.services.guard import transaction
from nitka.services.home import Start, start_of, start_page
from nitka.web.deps import EngineDep
from nitka.web.reading import ReadingDep
from nitka.web.ui.guard import SignedInDep
from nitka.web.ui.templating import render

router = APIRouter(include_in_schema=False)
ELSEWHERE = {Start.AUDIT_TRAIL: "/ui/audit", Start.CASES: "/ui/cases"}
"""Where the roles that read no case data start."""


@router.get("/", response_class=RedirectResponse)
def root() -> Response:
    return RedirectResponse("/ui/", status_code=303)


@router.get("/ui/", response_class=HTMLResponse)
def home(request: Request, engine: EngineDep, reading: ReadingDep, actor: SignedInDep) -> Response:
    start = start_of(actor)
    if start in ELSEWHERE:
        return RedirectResponse(ELSEWHERE[start], 303)
    with transaction(engine) as conn:
        page = reading.run(conn, lambda read: start_page(conn, actor, read=read))
    context = {
        "cases": page.cases,
        "deadlines": page.deadlines,
        "hits": page.hits,
        "waiting": page.waiting,
        "sources": page.sources,
        "ingests": page.ingests,
    }
    return render(request, "home.html", context, account=actor.account)
