"""Offline copies, the server's side: pages of the lists an account may see, the
changes since a copy's position, and the checks a copy made while offline.

Only a role that may check takes a copy (``CHECKERS``); each page is recorded
in the audit trail as an export of the lists (what was asked, how many
statements left), and each uploaded check as a check made offline, with the
time it was made on the laptop. The pages are signed by the web layer with
the instance's key (``nitka.offline.wire``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.offline import shape, source
from nitka.offline.origin import now
from nitka.services.guard import CHECKERS, DeclinedError, audit, require, viewer_of
from nitka.store.db import upsert
from nitka.store.outbox import last_seq
from nitka.store.tables import offline_check

MAX_PAGE = 10_000
MAX_UPLOAD = 5_000
_TEXT = ("user", "purpose", "channel", "query", "result")


def start(conn: Connection, actor: Actor, lists: Sequence[str], key: str) -> dict[str, Any]:
    """The first page of a pull: the account, the lists it may see, what decides its
    sight, the position in the change sequence the copy starts from (taken before
    any entry is read, so a change made during the pull is taken in by the first
    sync) and the server's public key."""
    subject = {"offline": "pull", "lists": list(lists)}
    require(conn, actor, CHECKERS, Action.EXPORT, subject)
    viewer = viewer_of(conn, actor)
    visible = _visible(lists, viewer)
    page = {
        "kind": "start",
        "account": actor.name,
        "lists": visible,
        "sight": source.sight_key(viewer),
        "position": last_seq(conn),
        "key": key,
        "at": now().isoformat(),
    }
    audit(conn, actor, Action.EXPORT, {**subject, "lists": visible, "position": page["position"]})
    return page


def entries(
    conn: Connection, actor: Actor, lists: Sequence[str], after: str, limit: int
) -> dict[str, Any]:
    """A page of the listed entities after the id ``after``, as the actor may see them."""
    subject = {"offline": "entries", "after": after, "limit": limit}
    require(conn, actor, CHECKERS, Action.EXPORT, subject)
    _within(limit, "limit")
    viewer = viewer_of(conn, actor)
    visible = _visible(lists, viewer)
    rows, following = source.entry_page(conn, viewer, visible, after, limit)
    audit(conn, actor, Action.EXPORT, {**subject, "lists": visible}, result_size=len(rows))
    return {
        "kind": "entries",
        "account": actor.name,
        "lists": visible,
        "sight": source.sight_key(viewer),
        "after": after,
        "next": following,
        **shape.shaped(rows),
    }


def changes(
    conn: Connection, actor: Actor, lists: Sequence[str], after: int, limit: int
) -> dict[str, Any]:
    """The entities the change records after ``after`` touch, as the actor may see them
    now (none: the copy drops the entity), and the position reached."""
    subject = {"offline": "changes", "after": after, "limit": limit}
    require(conn, actor, CHECKERS, Action.EXPORT, subject)
    _within(limit, "limit")
    viewer = viewer_of(conn, actor)
    visible = _visible(lists, viewer)
    ids, rows, position, more = source.change_page(conn, viewer, visible, after, limit)
    audit(
        conn,
        actor,
        Action.EXPORT,
        {**subject, "lists": visible, "position": position},
        result_size=len(rows),
    )
    return {
        "kind": "changes",
        "account": actor.name,
        "lists": visible,
        "sight": source.sight_key(viewer),
        "after": after,
        "position": position,
        "more": more,
        "ids": ids,
        **shape.shaped(rows),
    }


def receive_checks(
    conn: Connection, actor: Actor, copy_id: str, checks: Sequence[Any]
) -> dict[str, int]:
    """Store the checks a copy made offline, each once (by the copy's id and the
    check's number), and record each new one in the audit trail as a check made
    offline at its own time. A bad check refuses the whole upload, naming it."""
    subject = {"offline": "checks", "copy": copy_id, "count": len(checks)}
    require(conn, actor, CHECKERS, Action.CHECK, subject)
    if not copy_id.strip() or len(copy_id) > 64:
        raise DeclinedError("an upload names its copy (at most 64 characters)", field="copy")
    if len(checks) > MAX_UPLOAD:
        raise DeclinedError(f"at most {MAX_UPLOAD:,} checks an upload", field="checks")
    rows = [_check_row(position, item, copy_id, actor.name) for position, item in enumerate(checks)]
    numbers = [row["check_id"] for row in rows]
    known = set(
        conn.execute(
            select(offline_check.c.check_id).where(
                offline_check.c.copy_id == copy_id, offline_check.c.check_id.in_(numbers)
            )
        ).scalars()
    )
    new = [row for row in rows if row["check_id"] not in known]
    if new:
        conn.execute(upsert(conn, offline_check, ["copy_id", "check_id"], []), new)
    for row in new:
        audit(
            conn,
            actor,
            Action.CHECK,
            {
                "offline check": row["check_id"],
                "copy": copy_id,
                "made at": row["checked_at"].isoformat(),
                "user": row["user"],
                "purpose": row["purpose"],
                "channel": row["channel"],
                "hits": row["hits"],
            },
            result_size=row["hits"],
        )
    return {"stored": len(new), "already": len(rows) - len(new)}


def _check_row(position: int, item: Any, copy_id: str, account: str) -> dict[str, Any]:
    where = f"checks[{position}]"
    if not isinstance(item, dict):
        raise DeclinedError(f"{where} is not an object", field=where)
    number = item.get("id")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise DeclinedError(f"{where}.id must be a positive whole number", field=f"{where}.id")
    try:
        made = datetime.fromisoformat(str(item.get("checked_at")))
    except ValueError:
        raise DeclinedError(
            f"{where}.checked_at is not a time (ISO 8601)", field=f"{where}.checked_at"
        ) from None
    row: dict[str, Any] = {
        "copy_id": copy_id,
        "check_id": number,
        "account": account,
        "checked_at": made.replace(tzinfo=None),
        "received_at": now(),
        "error": item.get("error") if isinstance(item.get("error"), str) else None,
    }
    for name in _TEXT:
        value = item.get(name)
        if not isinstance(value, str) or (name in ("user", "purpose") and not value.strip()):
            raise DeclinedError(f"{where}.{name} must be given as text", field=f"{where}.{name}")
        row[name] = value
    hits = item.get("hits")
    if not isinstance(hits, int) or isinstance(hits, bool) or hits < 0:
        raise DeclinedError(f"{where}.hits must be a count", field=f"{where}.hits")
    row["hits"] = hits
    return row


def _visible(lists: Sequence[str], viewer: Any) -> list[str]:
    visible = source.visible_lists(lists, viewer)
    if not visible:
        raise DeclinedError(
            "none of the watch lists this server checks against is for this account",
            field="lists",
        )
    return visible


def _within(limit: int, field: str) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DeclinedError(f"{field} must be between 1 and {MAX_PAGE:,}", field=field)
