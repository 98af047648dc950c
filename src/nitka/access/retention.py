"""Retention review, erasure, and the report for a data subject's access request.

Directive 2016/680 asks for time limits for the erasure of personal data or
for a periodic review of the need to keep it (Art. 5), for erasure when
processing is no longer lawful (Art. 16), and for a subject's right to
learn what is held on them (Art. 14). Each data-subject category has its own
review period (``REVIEW_DAYS``, overridable in settings): a statement is due
for review when its source last saw it longer ago than that.

Erasure is the one place where Nitka deletes statements: the subject's
statements go, with their search rows, and an audit record (the tombstone)
keeps who erased what, when and why, and how many statements, but not the
data itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection

from nitka.access.audit import who_saw
from nitka.effects import ChangeKind, after_write
from nitka.errors import FieldError
from nitka.model.handling import DataSubjectCategory
from nitka.store.reader import canonical_of, get_entity
from nitka.store.tables import statement

REVIEW_DAYS: dict[str, int] = {
    DataSubjectCategory.SUSPECT.value: 5 * 365,
    DataSubjectCategory.CONVICTED.value: 10 * 365,
    DataSubjectCategory.VICTIM.value: 3 * 365,
    DataSubjectCategory.WITNESS.value: 3 * 365,
    DataSubjectCategory.CONTACT.value: 3 * 365,
    DataSubjectCategory.INFORMANT.value: 3 * 365,
    DataSubjectCategory.OTHER.value: 5 * 365,
}
"""Default review periods in days, per data-subject category. Member states set
their own (and Europol's rules three years for most personal data): a unit
sets these to its national rules with ``NITKA_REVIEW_DAYS``."""


class RetentionError(FieldError):
    """An erasure or report that cannot be made as asked."""


@dataclass(frozen=True)
class DueForReview:
    entity_id: str
    category: str
    statements: int
    last_seen: str
    """When a source last saw the newest of these statements."""
    review_days: int


def due_for_review(
    conn: Connection, *, periods: Mapping[str, int] | None = None, today: datetime | None = None
) -> list[DueForReview]:
    """Entities with statements of a category last seen longer ago than its period."""
    periods = {**REVIEW_DAYS, **(periods or {})}
    now = today or datetime.now(UTC)
    due: list[DueForReview] = []
    for category, days in sorted(periods.items()):
        cutoff = (now - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S")
        rows = conn.execute(
            select(
                statement.c.canonical_id,
                func.count(),
                func.max(statement.c.last_seen),
            )
            .where(statement.c.category == category)
            .group_by(statement.c.canonical_id)
            .having(func.max(statement.c.last_seen) < cutoff)
            .order_by(statement.c.canonical_id)
        )
        due += [DueForReview(cid, category, count, seen, days) for cid, count, seen in rows]
    return due


def erase(conn: Connection, entity_id: str) -> tuple[str, int]:
    """Delete every statement of the entity (its canonical id and members); the caller
    records the tombstone in the audit trail and commits. Returns (canonical id, count)."""
    canonical_id = canonical_of(conn, entity_id)
    found = conn.execute(
        select(func.count()).select_from(statement).where(statement.c.canonical_id == canonical_id)
    ).scalar_one()
    if not found:
        raise RetentionError(f"no entity with id {entity_id!r}", field="entity_id")
    members = set(
        conn.execute(
            select(statement.c.entity_id).where(statement.c.canonical_id == canonical_id).distinct()
        ).scalars()
    )
    conn.execute(delete(statement).where(statement.c.canonical_id == canonical_id))
    after_write(conn, ChangeKind.ERASED, [canonical_id, *sorted(members - {canonical_id})])
    return canonical_id, int(found)


def subject_report(conn: Connection, entity_id: str) -> dict[str, Any]:
    """Everything held on a person, with its sources, and who was shown or given it."""
    entity = get_entity(conn, entity_id)
    if entity is None:
        raise RetentionError(f"no entity with id {entity_id!r}", field="entity_id")
    proxy = entity.proxy()
    seen_by = [
        {
            "at": record.at,
            "by": record.actor,
            "action": record.action,
            "purpose": record.purpose,
            "from": record.origin,
        }
        for record in who_saw(conn, {entity.id, *entity.members})
    ]
    return {
        "id": entity.id,
        "schema": entity.schema.name,
        "caption": proxy.caption,
        "members": entity.members,
        "properties": proxy.properties,
        "statements": [stmt.to_dict() for stmt in entity.statements],
        "sources": sorted({stmt.dataset for stmt in entity.statements}),
        "processing": sorted(seen_by, key=lambda item: item["at"]),
        "made_at": datetime.now(UTC).isoformat(),
    }
