"""Erasure (Directive 2016/680 Art. 16), review periods and subject access reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access import retention
from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.retention import DueForReview, RetentionError
from nitka.services.guard import ERASERS, RETENTION_REVIEWERS, audit, require


def erase(conn: Connection, actor: Actor, entity_id: str, reason: str) -> tuple[str, int]:
    """Erase every statement held on an entity; the audit trail keeps a tombstone, and
    the after-write step takes the entity out of every reader. Returns (id, count)."""
    subject = {"erase": entity_id, "reason": reason}
    require(conn, actor, ERASERS, Action.ERASURE, subject)
    if not reason.strip():
        raise RetentionError("an erasure needs its legal ground", field="reason")
    canonical_id, count = retention.erase(conn, entity_id)
    tombstone = {"erased": canonical_id, "statements": count, "reason": reason}
    audit(conn, actor, Action.ERASURE, tombstone, entities=[canonical_id], result_size=count)
    return canonical_id, count


def due(conn: Connection, actor: Actor, periods: Mapping[str, int]) -> list[DueForReview]:
    """Entities with statements kept past their category's review period."""
    subject = {"retention": "due"}
    require(conn, actor, RETENTION_REVIEWERS, Action.SEARCH, subject)
    found = retention.due_for_review(conn, periods=periods)
    ids = sorted({item.entity_id for item in found})
    audit(conn, actor, Action.SEARCH, subject, entities=ids, result_size=len(found))
    return found


def subject_report(conn: Connection, actor: Actor, entity_id: str, out: str) -> dict[str, Any]:
    """Everything held on a person, with sources and who saw it: for an access request."""
    subject = {"subject access request": entity_id, "out": out}
    require(conn, actor, ERASERS, Action.DISCLOSURE, subject)
    report = retention.subject_report(conn, entity_id)
    audit(conn, actor, Action.DISCLOSURE, subject, entities=[report["id"]],
          result_size=len(report["statements"]))  # fmt: skip
    return report
