"""Withdrawing a watch-list entry (a cancelled notice, a recovered document) and putting it back.

The entry's statements stay in the store, as every statement does; what
changes is whether it stands on the list. Each withdrawal and reinstatement
is a row with who, when and why, never changed afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from nitka.errors import FieldError
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


def withdrawn(
    conn: Connection, lists: Sequence[str], entity_ids: Sequence[str] | None = None
) -> set[tuple[str, str]]:
    """``(entity id, list)`` pairs whose latest record is a withdrawal (of these entities)."""
    latest = (
        select(func.max(list_withdrawal.c.id))
        .where(list_withdrawal.c.list.in_(list(lists)))
        .group_by(list_withdrawal.c.entity_id, list_withdrawal.c.list)
    )
    if entity_ids is not None:
        latest = latest.where(list_withdrawal.c.entity_id.in_(list(entity_ids)))
    rows = conn.execute(
        select(list_withdrawal.c.entity_id, list_withdrawal.c.list).where(
            list_withdrawal.c.id.in_(latest),
            list_withdrawal.c.kind == WithdrawalKind.WITHDRAW.value,
        )
    )
    return {(entity_id, listed) for entity_id, listed in rows}
