"""The start page: my cases, my deadlines, my recent screening hits, and the
messages waiting for me."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account, Role
from nitka.access.visibility import Viewer
from nitka.exchange.kinds import Status
from nitka.exchange.messages import Message, due_within, list_messages, overdue
from nitka.exchange.sight import ALL_MESSAGES, may_see_message
from nitka.store.tables import case_file, case_member, check_log
from nitka.web.deps import EngineDep
from nitka.web.ui.guard import page_user
from nitka.web.ui.templating import render

DEADLINE_HOURS = 72
RECENT_HITS = 10

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=RedirectResponse)
def root() -> Response:
    return RedirectResponse("/ui/", status_code=303)


@router.get("/ui/", response_class=HTMLResponse)
def home(request: Request, engine: EngineDep, account: Account = Depends(page_user())) -> Response:
    if account.role in (Role.AUDITOR, Role.ADMINISTRATOR):
        return RedirectResponse("/ui/audit" if account.role == Role.AUDITOR else "/ui/cases", 303)
    with engine.connect() as conn:
        viewer = Viewer.of(conn, account)
        context = {
            "cases": my_cases(conn, account.name),
            "deadlines": my_deadlines(conn, viewer),
            "hits": recent_hits(conn, account.name),
            "waiting": waiting_for(conn, viewer, account),
        }
    return render(request, "home.html", context, account=account)


def my_cases(conn: Connection, name: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(case_file.c.id, case_file.c.title)
        .join(case_member, case_member.c.case_id == case_file.c.id)
        .where(case_member.c.account == name)
        .order_by(case_file.c.id)
    )
    return [{"id": row.id, "title": row.title} for row in rows]


def my_deadlines(conn: Connection, viewer: Viewer) -> list[dict[str, Any]]:
    """Overdue requests first, then those due within three days."""
    now = datetime.now(UTC)
    found = {m.id: m for m in overdue(conn, now)}
    found.update({m.id: m for m in due_within(conn, DEADLINE_HOURS, now) if m.id not in found})
    return [m.summary(now) for m in found.values() if may_see_message(viewer, m)]


def recent_hits(conn: Connection, name: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(check_log.c.checked_at, check_log.c.purpose, check_log.c.query, check_log.c.hits)
        .where(check_log.c.user == name, check_log.c.hits > 0)
        .order_by(check_log.c.id.desc())
        .limit(RECENT_HITS)
    )
    return [
        {
            "at": row.checked_at.isoformat(timespec="seconds"),
            "purpose": row.purpose,
            "query": _asked(row.query),
            "hits": row.hits,
        }
        for row in rows
    ]


def waiting_for(conn: Connection, viewer: Viewer, account: Account) -> list[dict[str, Any]]:
    """Received messages to take up (the exchange desk), drafts to approve (a
    supervisor), and my approved messages to send."""
    waiting: list[Message] = []
    if viewer.role in ALL_MESSAGES:
        waiting += list_messages(conn, direction="in", status=Status.RECEIVED)
    if viewer.role == Role.SUPERVISOR:
        drafts = list_messages(conn, direction="out", status=Status.DRAFT)
        waiting += [m for m in drafts if m.author != account.name]
    approved = list_messages(conn, direction="out", status=Status.APPROVED)
    waiting += [m for m in approved if m.author == account.name]
    return [m.summary() for m in waiting if may_see_message(viewer, m)]


def _asked(query: str) -> str:
    """What was asked, in a line: the names, numbers and plates of the check."""
    try:
        data = orjson.loads(query)
    except orjson.JSONDecodeError:
        return query[:200]
    values: list[str] = []
    properties = data.get("properties", {}) if isinstance(data, dict) else {}
    for key in ("name", "number", "registrationNumber", "idNumber", "passportNumber"):
        found = properties.get(key) if isinstance(properties, dict) else None
        if isinstance(found, list):
            values.extend(str(v) for v in found)
    return ", ".join(values)[:200] or query[:200]
