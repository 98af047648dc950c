"""What the assessment reads from the store beside its own tables: statements by id
(a rating's evidence) and the entities that name a group (its memberships, the
events it organises) with the members they name."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.model.statement import PoliceStatement
from nitka.store.reader import statement_from_row
from nitka.store.tables import statement

CHUNK = 500


def statements_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, PoliceStatement]:
    wanted = sorted(set(ids))
    found: dict[str, PoliceStatement] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = conn.execute(
            select(statement).where(statement.c.id.in_(wanted[start : start + CHUNK]))
        )
        for row in rows:
            stmt = statement_from_row(row)
            found[stmt.id] = stmt
    return found


def around_group(conn: Connection, group_ids: Iterable[str]) -> list[str]:
    """Canonical ids of the memberships and events that name the group, and of the
    members those memberships name."""
    ids = sorted(set(group_ids))
    naming = set(
        conn.execute(
            select(statement.c.canonical_id).where(
                statement.c.prop.in_(("organization", "organizer")), statement.c.value.in_(ids)
            )
        ).scalars()
    )
    if not naming:
        return []
    members = conn.execute(
        select(statement.c.value).where(
            statement.c.canonical_id.in_(sorted(naming)), statement.c.prop == "member"
        )
    ).scalars()
    return sorted(naming | set(members))
