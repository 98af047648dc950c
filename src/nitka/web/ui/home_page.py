"""The start page: my cases, my deadlines, my recent screening hits, and the
messages waiting for me."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account, Role
from nitka.access.cases import case_titles
from nitka.services.guard import transaction
from nitka.services.home import start_page
from nitka.web.auth import actor_of
from nitka.web.deps import EngineDep
from nitka.web.ui.guard import page_user
from nitka.web.ui.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=RedirectResponse)
def root() -> Response:
    return RedirectResponse("/ui/", status_code=303)


@router.get("/ui/", response_class=HTMLResponse)
def home(request: Request, engine: EngineDep, account: Account = Depends(page_user())) -> Response:
    if account.role in (Role.AUDITOR, Role.ADMINISTRATOR):
        return RedirectResponse("/ui/audit" if account.role == Role.AUDITOR else "/ui/cases", 303)
    with transaction(engine) as conn:
        page = start_page(conn, actor_of(request, account))
    context = {
        "cases": page.cases,
        "deadlines": page.deadlines,
        "hits": page.hits,
        "waiting": page.waiting,
    }
    return render(request, "home.html", context, account=account)


def my_cases(conn: Connection, name: str) -> list[dict[str, str]]:
    """The cases the account is a member of, for a page's case picker."""
    return [{"id": case_id, "title": title} for case_id, title in case_titles(conn, name)]
