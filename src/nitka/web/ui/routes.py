"""The workstation's routes, static files and error pages, added to the app."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from nitka.web.ui import (
    ads_pages,
    assess_pages,
    audit_page,
    case_pages,
    entity_page,
    exchange_pages,
    home_page,
    resolve_pages,
    screen_page,
    search_page,
    sign_in_pages,
    statistics_page,
    workspace_page,
)
from nitka.web.ui.guard import PageForbiddenError, SignInRequiredError
from nitka.web.ui.templating import STATIC, render

ROUTERS = (
    sign_in_pages.router,
    home_page.router,
    search_page.router,
    entity_page.router,
    workspace_page.router,
    screen_page.router,
    exchange_pages.router,
    case_pages.router,
    resolve_pages.router,
    audit_page.router,
    ads_pages.router,
    statistics_page.router,
    assess_pages.router,
)


def add_workstation(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
    STATIC.mkdir(parents=True, exist_ok=True)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(SignInRequiredError, _sign_in)
    app.add_exception_handler(PageForbiddenError, _forbidden)


async def _sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequiredError)
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": exc.next_path})
    return RedirectResponse(exc.next_path, status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbiddenError)
    return render(
        request, "forbidden.html", {"reason": exc.reason}, account=exc.account, status_code=403
    )
