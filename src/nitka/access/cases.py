"""Cases (collections of statements) and their members: who may see what.

A statement names its case (``case_id``); a user sees a case's statements
only as one of its members. Making a case and adding a member are changes,
recorded in the audit trail by the caller.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from nitka.access.accounts import AccountError, find_account
from nitka.errors import FieldError
from nitka.store.tables import case_file, case_member


class CaseError(FieldError):
    """A case that cannot be made or joined as asked."""


def add_case(conn: Connection, case_id: str, *, by: str, title: str = "") -> None:
    case_id = case_id.strip()
    if not case_id:
        raise CaseError("a case needs a name", field="name")
    if case_exists(conn, case_id):
        raise CaseError(f"a case {case_id!r} exists already", field="name")
    conn.execute(
        insert(case_file).values(id=case_id, title=title, created_at=_now(), created_by=by)
    )


def add_member(conn: Connection, case_id: str, name: str, *, by: str) -> bool:
    """Make the account a member of the case; False if it was one already."""
    if not case_exists(conn, case_id):
        raise CaseError(f"no case {case_id!r}", field="case")
    if find_account(conn, name) is None:
        raise AccountError(f"no account {name!r}", field="user")
    if name in members(conn, case_id):
        return False
    conn.execute(
        insert(case_member).values(case_id=case_id, account=name, added_at=_now(), added_by=by)
    )
    return True


def members(conn: Connection, case_id: str) -> list[str]:
    rows = conn.execute(
        select(case_member.c.account)
        .where(case_member.c.case_id == case_id)
        .order_by(case_member.c.account)
    )
    return list(rows.scalars())


def case_titles(conn: Connection, member: str | None = None) -> list[tuple[str, str]]:
    """(id, title) of every case, or of the cases the account is a member of."""
    query = select(case_file.c.id, case_file.c.title).order_by(case_file.c.id)
    if member is not None:
        query = query.join(case_member, case_member.c.case_id == case_file.c.id).where(
            case_member.c.account == member
        )
    return [(row.id, row.title) for row in conn.execute(query)]


def case_title(conn: Connection, case_id: str) -> str | None:
    found: str | None = conn.execute(
        select(case_file.c.title).where(case_file.c.id == case_id)
    ).scalar()
    return found


def cases_of(conn: Connection, name: str) -> list[str]:
    rows = conn.execute(
        select(case_member.c.case_id)
        .where(case_member.c.account == name)
        .order_by(case_member.c.case_id)
    )
    return list(rows.scalars())


def case_exists(conn: Connection, case_id: str) -> bool:
    return conn.execute(select(case_file.c.id).where(case_file.c.id == case_id)).first() is not None


def _now() -> str:
    return datetime.now(UTC).isoformat()
