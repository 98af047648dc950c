"""Cases: the list of mine, and a case's workspace with its members, its
entities, its notes (assessments, kept apart from facts) and saved charts.

Only members open a case (an administrator sees the list of all cases and
their members, never their data).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from nitka.access.accounts import Account, Role
from nitka.access.audit import Action
from nitka.access.cases import members
from nitka.access.visibility import READERS, Viewer
from nitka.analysis.charts import charts_of_case
from nitka.analysis.graph import visible_entities
from nitka.analysis.notes import NoteError, add_note, notes_of
from nitka.store.tables import case_file, statement
from nitka.web.deps import EngineDep
from nitka.web.ui.guard import page_user
from nitka.web.ui.home_page import my_cases
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.recording import record
from nitka.web.ui.templating import not_found, refusal, render

router = APIRouter(include_in_schema=False)
CASE_ENTITIES = 500
READER = Depends(page_user(READERS))


@router.get("/ui/cases", response_class=HTMLResponse)
def cases_page(
    request: Request, engine: EngineDep, account: Account = Depends(page_user(frozenset(Role)))
) -> Response:
    with engine.connect() as conn:
        if account.role == Role.ADMINISTRATOR:
            rows = conn.execute(select(case_file.c.id, case_file.c.title).order_by(case_file.c.id))
            cases = [{"id": r.id, "title": r.title, "members": members(conn, r.id)} for r in rows]
        else:
            cases = [{**c, "members": members(conn, c["id"])} for c in my_cases(conn, account.name)]
    context = {"cases": cases, "may_open": account.role in READERS}
    return render(request, "cases.html", context, account=account)


@router.get("/ui/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    case_id: str, request: Request, engine: EngineDep, account: Account = READER
) -> Response:
    with engine.begin() as conn:
        viewer = Viewer.of(conn, account)
        title = conn.execute(select(case_file.c.title).where(case_file.c.id == case_id)).scalar()
        if title is None or case_id not in viewer.cases:
            message = _("There is no case %(id)s, or you are not a member.") % {"id": case_id}
            return not_found(request, account, message)
        ids = conn.execute(
            select(statement.c.canonical_id)
            .where(statement.c.case_id == case_id, statement.c.schema != "Note")
            .distinct()
            .limit(CASE_ENTITIES)
        ).scalars()
        entities = visible_entities(conn, viewer, list(ids))
        notes = notes_of(conn, viewer, case_id)
        charts = [c.summary() for c in charts_of_case(conn, case_id)]
        record(conn, request, account, Action.VIEW, {"case": case_id}, sorted(entities))
        team = members(conn, case_id)
    rows: list[dict[str, Any]] = sorted(
        (
            {"id": e.id, "schema": e.schema, "caption": e.caption(), "protected": e.protected}
            for e in entities.values()
        ),
        key=lambda r: (r["schema"], r["caption"]),
    )
    context = {
        "case": {"id": case_id, "title": title},
        "members": team,
        "entities": rows,
        "notes": notes,
        "charts": charts,
    }
    return render(request, "case.html", context, account=account)


@router.post("/ui/cases/{case_id}/notes", response_class=HTMLResponse)
def write_note(
    case_id: str,
    request: Request,
    engine: EngineDep,
    text: str = Form(..., max_length=20_000),
    about: str = Form("", max_length=5_000),
    account: Account = READER,
) -> Response:
    try:
        with engine.begin() as conn:
            if case_id not in Viewer.of(conn, account).cases:
                raise NoteError(_("You are not a member of this case."), field="case")
            about_ids = about.replace(",", " ").split()
            note_id = add_note(conn, case_id, account.name, text, about_ids)
            subject = {"note": note_id, "case": case_id}
            record(conn, request, account, Action.CHANGE, subject, [note_id, *about_ids])
    except NoteError as error:
        return refusal(f"{error.field}: {error}")
    return Response(status_code=204, headers={"HX-Redirect": f"/ui/cases/{case_id}"})
