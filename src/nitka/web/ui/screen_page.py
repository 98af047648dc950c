"""The screening form: a person, a travel document or a vehicle, checked against
the watch lists this server loaded, with every hit's explanation.

The check goes through the same service as ``POST /screen``: logged with who,
when, the stated purpose and the result before it is shown, and each hit
shown only as far as the officer may see it (a protected placeholder, or
nothing).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from nitka.access.accounts import Account
from nitka.screen.service import Screener
from nitka.services import screening
from nitka.services.guard import CHECKERS, DeclinedError
from nitka.web.auth import actor_of, viewer_of
from nitka.web.deps import ScreenerDep
from nitka.web.metrics import count_checks
from nitka.web.screen_api import answer_json, check_origin
from nitka.web.ui.guard import page_user
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.templating import render

router = APIRouter(include_in_schema=False)
KINDS = ("Person", "Passport", "Vehicle")


@router.get("/ui/screen", response_class=HTMLResponse)
def screen_form(
    request: Request, screener: ScreenerDep, account: Account = Depends(page_user(CHECKERS))
) -> Response:
    context: dict[str, Any] = {
        "lists": list(screener.lists),
        "kinds": KINDS,
        "answer": None,
        "asked": {},
    }
    return render(request, "screen.html", context, account=account)


@router.post("/ui/screen", response_class=HTMLResponse)
def screen_check(
    request: Request,
    screener: ScreenerDep,
    kind: str = Form("Person", pattern="^(Person|Passport|Vehicle)$"),
    purpose: str = Form("", max_length=500),
    name: str = Form("", max_length=500),
    birth_date: str = Form("", max_length=32),
    nationality: str = Form("", max_length=64),
    number: str = Form("", max_length=200),
    country: str = Form("", max_length=64),
    plate: str = Form("", max_length=64),
    account: Account = Depends(page_user(CHECKERS)),
) -> Response:
    asked = {
        "kind": kind,
        "purpose": purpose,
        "name": name,
        "birth_date": birth_date,
        "nationality": nationality,
        "number": number,
        "country": country,
        "plate": plate,
    }
    query = {"schema": kind, "properties": _properties(kind, asked)}
    actor = actor_of(request, account).for_purpose(purpose)
    viewer = viewer_of(screener.engine, account)
    try:
        context = screening.begin_check(screener.engine, actor, "ui", check_origin(request, "ui"))
        checked_lists = screening.lists_to_check(screener, viewer, screening.DEFAULT_LISTS)
    except DeclinedError as declined:
        message = declined.message
        if declined.field == "purpose":
            message = _("State the purpose of the check: it is logged.")
        error = {"field": declined.field, "message": message}
        status = declined.status
        return _answer(
            request, screener, account, asked, {"status": status, "error": error}, status
        )
    checked = screening.screen(screener, context, [query], checked_lists)
    count_checks("ui", checked.answers)
    shown = answer_json(checked.answers[0], viewer)
    return _answer(request, screener, account, asked, shown, 400 if "error" in shown else 200)


def _properties(kind: str, asked: dict[str, str]) -> dict[str, list[str]]:
    wanted = {
        "Person": {"name": "name", "birthDate": "birth_date", "nationality": "nationality"},
        "Passport": {"number": "number", "country": "country"},
        "Vehicle": {"registrationNumber": "plate", "country": "country"},
    }[kind]
    return {prop: [asked[field]] for prop, field in wanted.items() if asked[field].strip()}


def _answer(
    request: Request,
    screener: Screener,
    account: Account,
    asked: dict[str, str],
    shown: dict[str, Any],
    status: int,
) -> Response:
    context = {"lists": list(screener.lists), "kinds": KINDS, "answer": shown, "asked": asked}
    template = "screen_answer.html" if request.headers.get("hx-request") else "screen.html"
    return render(request, template, context, account=account, status_code=status)
