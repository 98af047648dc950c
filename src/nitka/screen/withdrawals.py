"""Withdrawing a watch-list entry (a cancelled notice, a recovered document) and putting it back.

The entry's statements stay in the store, as every statement does; what
changes is whether it stands on the list. Each withdrawal and reinstatement
is a row with who, when and why, never changed afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from nitka.effects import ChangeKind, after_write
from nitka.errors import FieldError
from nitka.store.db import driver_rows, in_marks
from nitka.store.tables import list_withdrawal


class WithdrawalKind(StrEnum):
    WITHDRAW = "withdraw"
    REINSTATE = "reinstate"


class WithdrawalError(FieldError):
    """A withdrawal or reinstatement without its user, reason or list."""


def record(
    conn: Connection,
    kind: WithdrawalKind,
    entity_id: str,
    listed: str,
    *,
    user: str,
    reason: str,
) -> None:
    """Withdraw an entry from a list, or reinstate it. The caller commits."""
    for field, value in (("user", user), ("reason", reason), ("list", listed)):
        if not value.strip():
            raise WithdrawalError(f"a {kind.value} needs a {field}", field=field)
    conn.execute(
        insert(list_withdrawal).values(
            kind=kind.value,
            entity_id=entity_id,
            list=listed,
            user=user,
            reason=reason,
            created_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )
    done = ChangeKind.WITHDRAWN if kind is WithdrawalKind.WITHDRAW else ChangeKind.REINSTATED
    after_write(conn, done, [entity_id], datasets=[listed])


def withdrawn(
    conn: Connection, lists: Sequence[str], entity_ids: Sequence[str] | None = None
) -> set[tuple[str, str]]:
    """``(entity id, list)`` pairs whose latest record is a withdrawal (of these entities).

    A document or vehicle hit asks this while the officer waits, so the SQL
    goes to the driver as written.
    """
    if not lists or (entity_ids is not None and not entity_ids):
        return set()
    among, ids = "", tuple(entity_ids or ())
    if entity_ids is not None:
        among = f" AND entity_id IN ({in_marks(conn, len(ids))})"
    rows = driver_rows(
        conn,
        "SELECT entity_id, list FROM list_withdrawal WHERE id IN ("
        f"SELECT max(id) FROM list_withdrawal WHERE list IN ({in_marks(conn, len(lists))})"
        f"{among} GROUP BY entity_id, list) AND kind = {in_marks(conn, 1)}",
        (*lists, *ids, WithdrawalKind.WITHDRAW.value),
    )
    return {(entity_id, listed) for entity_id, listed in rows}
