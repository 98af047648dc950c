"""Cases: opening one, its members, its workspace (entities, notes, charts) and notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.accounts import Role
from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.cases import add_case, add_member, case_title, case_titles, members
from nitka.access.visibility import READERS
from nitka.analysis.charts import charts_of_case
from nitka.analysis.graph import visible_entities
from nitka.analysis.notes import Note, add_note, notes_of
from nitka.services.guard import NotFoundError, audit, refuse, require, role_refusal, viewer_of
from nitka.store.reader import case_entity_ids

CASE_OPENERS = frozenset({Role.INVESTIGATOR, Role.SUPERVISOR, Role.ADMINISTRATOR})
"""Who may open a case."""
MEMBER_KEEPERS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
"""Who may make an account a member of a case (and so let it see the case's data)."""
CASE_ENTITIES = 500
"""Entities a case's workspace lists at most."""


PER_PAGE = 50
"""Entities a case page shows at once."""


@dataclass(frozen=True)
class CaseSummary:
    id: str
    title: str
    members: list[str]


@dataclass(frozen=True)
class CaseWorkspace:
    id: str
    title: str
    members: list[str]
    entities: list[dict[str, Any]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    """Entities of the case the member may see, on every page."""
    page: int = 1
    pages: int = 1


def open_case(conn: Connection, actor: Actor, case_id: str, title: str = "") -> None:
    subject = {"case add": case_id, "title": title}
    require(conn, actor, CASE_OPENERS, Action.CHANGE, subject)
    add_case(conn, case_id, by=actor.name, title=title)
    audit(conn, actor, Action.CHANGE, subject)


def add_case_member(conn: Connection, actor: Actor, case_id: str, account: str) -> bool:
    """Make an account a member of a case; False if it was one already."""
    subject = {"case member": case_id, "user": account}
    require(conn, actor, MEMBER_KEEPERS, Action.CHANGE, subject)
    added = add_member(conn, case_id, account, by=actor.name)
    if added:
        audit(conn, actor, Action.CHANGE, subject)
    return added


def list_cases(conn: Connection, actor: Actor) -> list[CaseSummary]:
    """The actor's cases with their members; every case for an administrator (who
    manages membership and never opens a case's data)."""
    everyone = actor.role in (None, Role.ADMINISTRATOR)
    return [
        CaseSummary(case_id, title, members(conn, case_id))
        for case_id, title in case_titles(conn, None if everyone else actor.name)
    ]


def opens_cases(actor: Actor) -> bool:
    """Whether the actor's role opens a case's workspace (``workspace``): the roles
    that read case data, not an administrator or an auditor."""
    return role_refusal(actor, READERS) is None


def workspace(
    conn: Connection,
    actor: Actor,
    case_id: str,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    read: Connection | None = None,
) -> CaseWorkspace:
    """A case as one of its members sees it: one page of its entities (by kind, then
    name), its notes and saved charts. The audit record names the entities shown.

    ``read``: where the case's data (entities, notes, charts) is read (a replica's
    connection, ``nitka.store.replica``), by default ``conn``; the access check, the
    case itself and its members, what the actor may see and the audit record stay on
    ``conn``. The audit record is written last: a read run again on the primary
    after the replica failed under it is recorded once."""
    read = read if read is not None else conn
    subject = {"case": case_id}
    require(conn, actor, READERS, Action.VIEW, subject)
    viewer = viewer_of(conn, actor)
    title = case_title(conn, case_id)
    if title is None or viewer is None or case_id not in viewer.cases:
        raise NotFoundError(f"no case {case_id!r}, or you are not a member", field="case")
    ids = case_entity_ids(read, case_id, limit=CASE_ENTITIES, schemata_left_out=("Note",))
    entities = visible_entities(read, viewer, ids)
    rows = sorted(
        (
            {"id": e.id, "schema": e.schema, "caption": e.caption(), "protected": e.protected}
            for e in entities.values()
        ),
        key=lambda r: (r["schema"], r["caption"]),
    )
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(page, 1), pages)
    shown = rows[(page - 1) * per_page : page * per_page]
    notes = notes_of(read, viewer, case_id)
    charts = [c.summary() for c in charts_of_case(read, case_id)]
    audit(conn, actor, Action.VIEW, {**subject, "page": page},
          entities=sorted(str(row["id"]) for row in shown))  # fmt: skip
    return CaseWorkspace(
        case_id,
        title,
        members(conn, case_id),
        shown,
        notes,
        charts,
        total=len(rows),
        page=page,
        pages=pages,
    )


def write_note(conn: Connection, actor: Actor, case_id: str, text: str, about: list[str]) -> str:
    """Write a note (an assessment, kept apart from facts) in a case of the actor's."""
    subject = {"note in": case_id}
    require(conn, actor, READERS, Action.CHANGE, subject)
    viewer = viewer_of(conn, actor)
    if viewer is None or case_id not in viewer.cases:
        raise refuse(conn, actor, Action.CHANGE, subject, "not a member of this case", "case")
    note_id = add_note(conn, case_id, actor.name, text, about)
    audit(conn, actor, Action.CHANGE, {"note": note_id, "case": case_id},
          entities=[note_id, *about])  # fmt: skip
    return note_id
