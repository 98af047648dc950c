"""Analysts' overrides of legal criteria (``assess_override``): added, never changed;
the newest per case and criterion counts, and ``computed`` takes an override back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from nitka.store.tables import assess_override

COMPUTED = "computed"
"""The state an override records to take an earlier one back."""


@dataclass(frozen=True)
class Override:
    id: int
    case_id: str
    criterion: str
    state: str
    reason: str
    decided_by: str
    decided_at: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "reason": self.reason,
            "by": self.decided_by,
            "at": self.decided_at,
        }


def add_override(
    conn: Connection, case_id: str, criterion: str, state: str, reason: str, by: str
) -> Override:
    now = datetime.now(UTC).isoformat()
    row_id = conn.execute(
        insert(assess_override)
        .values(
            case_id=case_id,
            criterion=criterion,
            state=state,
            reason=reason,
            decided_by=by,
            decided_at=now,
        )
        .returning(assess_override.c.id)
    ).scalar_one()
    return Override(int(row_id), case_id, criterion, state, reason, by, now)


def current_overrides(conn: Connection, case_id: str) -> dict[str, Override]:
    """The newest override of each criterion of the case still standing."""
    rows = conn.execute(
        select(assess_override)
        .where(assess_override.c.case_id == case_id)
        .order_by(assess_override.c.id)
    )
    found: dict[str, Override] = {}
    for row in rows:
        found[row.criterion] = Override(
            row.id,
            row.case_id,
            row.criterion,
            row.state,
            row.reason,
            row.decided_by,
            row.decided_at,
        )
    return {key: value for key, value in found.items() if value.state != COMPUTED}
