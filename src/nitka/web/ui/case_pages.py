"""Cases: the list of mine, and a case's workspace with its members, its
entities, its notes (assessments, kept apart from facts) and saved charts.

Only members open a case (an administrator sees the list of all cases and
their members, never their data).
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from nitka.errors import FieldError
from nitka.services import cases
from nitka.services.guard import NotFoundError, transaction
from nitka.web.deps import EngineDep
from nitka.web.reading import ReadingDep
from nitka.web.ui.guard import ReaderDep, SignedInDep
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.templating import not_found, refusal, render

router = APIRouter(include_in_schema=False)


@router.get("/ui/cases", response_class=HTMLResponse)
def cases_page(request: Request, engine: EngineDep, actor: SignedInDep) -> Response:
    with transaction(engine) as conn:
        found = cases.list_cases(conn, actor)
    context = {"cases": [asdict(case) for case in found], "may_open": cases.opens_cases(actor)}
    return render(request, "cases.html", context, account=actor.account)


@router.get("/ui/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    case_id: str,
    request: Request,
    engine: EngineDep,
    reading: ReadingDep,
    actor: ReaderDep,
    page: int = Query(1, ge=1, le=10_000),
) -> Response:
    try:
        with transaction(engine) as conn:
            space = reading.run(
                conn, lambda read: cases.workspace(conn, actor, case_id, page=page, read=read)
            )
    except NotFoundError:
        message = _("There is no case %(id)s, or you are not a member.") % {"id": case_id}
        return not_found(request, actor.account, message)
    context = {
        "case": {"id": space.id, "title": space.title},
        "members": space.members,
        "entities": space.entities,
        "total": space.total,
        "page": space.page,
        "pages": space.pages,
        "notes": space.notes,
        "charts": space.charts,
    }
    return render(request, "case.html", context, account=actor.account)


@router.post("/ui/cases/{case_id}/notes", response_class=HTMLResponse)
def write_note(
    case_id: str,
    engine: EngineDep,
    actor: ReaderDep,
    text: str = Form(..., max_length=20_000),
    about: str = Form("", max_length=5_000),
) -> Response:
    about_ids = about.replace(",", " ").split()
    try:
        with transaction(engine) as conn:
            cases.write_note(conn, actor, case_id, text, about_ids)
    except FieldError as error:
        why = error.message
        if error.field == "case":
            why = _("You are not a member of this case.")
        return refusal(f"{error.field}: {why}")
    return Response(status_code=204, headers={"HX-Redirect": f"/ui/cases/{case_id}"})
