"""Ratings of groups in the store (``assess_rating``): added, never changed; the
newest per group and attribute counts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from nitka.assess.scale import Attribute, Level
from nitka.store.tables import assess_rating


@dataclass(frozen=True)
class Rating:
    id: int
    group_id: str
    attribute: Attribute
    level: Level
    evidence: list[str]
    """Ids of the statements that support the rating (none: a rating without evidence)."""
    reason: str
    rated_by: str
    rated_at: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "group": self.group_id,
            "attribute": self.attribute.value,
            "level": self.level.value,
            "evidence": self.evidence,
            "reason": self.reason,
            "rated_by": self.rated_by,
            "rated_at": self.rated_at,
        }


def add_rating(
    conn: Connection,
    group_id: str,
    attribute: Attribute,
    level: Level,
    evidence: Iterable[str],
    reason: str,
    by: str,
) -> Rating:
    now = datetime.now(UTC).isoformat()
    ids = sorted(set(evidence))
    row_id = conn.execute(
        insert(assess_rating)
        .values(
            group_id=group_id,
            attribute=attribute.value,
            level=level.value,
            evidence=json.dumps(ids),
            reason=reason,
            rated_by=by,
            rated_at=now,
        )
        .returning(assess_rating.c.id)
    ).scalar_one()
    return Rating(int(row_id), group_id, attribute, level, ids, reason, by, now)


def current_ratings(conn: Connection, group_ids: Iterable[str]) -> dict[Attribute, Rating]:
    """The newest rating of each attribute over these ids (one group, its merged ids)."""
    rows = conn.execute(
        select(assess_rating)
        .where(assess_rating.c.group_id.in_(sorted(set(group_ids))))
        .order_by(assess_rating.c.id)
    )
    found: dict[Attribute, Rating] = {}
    for row in rows:
        try:
            attribute, level = Attribute(row.attribute), Level(row.level)
        except ValueError:
            continue  # an attribute a later version dropped: not scored
        found[attribute] = Rating(
            row.id,
            row.group_id,
            attribute,
            level,
            list(json.loads(row.evidence)),
            row.reason,
            row.rated_by,
            row.rated_at,
        )
    return found


def rated_groups(conn: Connection) -> list[str]:
    """Every group id that has a rating."""
    rows = conn.execute(select(assess_rating.c.group_id).distinct())
    return sorted(rows.scalars())
