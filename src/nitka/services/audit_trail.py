"""The auditor's questions: who saw an entity, what a user did, the latest records,
and whether the hash chain holds.

Only an auditor reads the trail (no one who reads case data reads the log of
who read it, and an administrator manages accounts, not the trail). Each
question about an entity or a user is itself an audit record: who watches the
watchers is on record too. A verification alone is not recorded: it reads no
personal data, and must not add to a chain that may be broken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action, AuditRecord, Verification, by_actor, latest, verify, who_saw
from nitka.services.guard import AUDITORS, audit, require
from nitka.store.reader import cluster_ids

SHOWN = 500
"""Records the workstation's audit page lists at most."""


def verify_trail(conn: Connection, actor: Actor) -> Verification:
    """Walk the hash chain; names the first record changed, removed or slipped in."""
    require(conn, actor, AUDITORS, Action.VIEW, {"audit": "verify"})
    return verify(conn)


def entity_history(
    conn: Connection, actor: Actor, entity_id: str, *, after: int = 0, limit: int | None = None
) -> list[AuditRecord]:
    """Every search, view, check, export and change that named the entity (or one merged
    with it), or held the whole store, oldest first."""
    subject = {"audit": "who-saw", "entity": entity_id}
    require(conn, actor, AUDITORS, Action.VIEW, subject)
    records = who_saw(conn, cluster_ids(conn, entity_id), after=after, limit=limit)
    audit(conn, actor, Action.VIEW, subject, result_size=len(records))
    return records


def user_history(
    conn: Connection, actor: Actor, user: str, *, after: int = 0, limit: int | None = None
) -> list[AuditRecord]:
    """Everything one user (or system) did, oldest first."""
    subject = {"audit": "by-user", "user": user}
    require(conn, actor, AUDITORS, Action.VIEW, subject)
    records = [record for record in by_actor(conn, user) if record.id > after][:limit]
    audit(conn, actor, Action.VIEW, subject, result_size=len(records))
    return records


@dataclass(frozen=True)
class TrailView:
    """The audit page: records newest first, and the verification if it was asked for."""

    records: list[AuditRecord] = field(default_factory=list)
    verification: Verification | None = None


def browse(
    conn: Connection,
    actor: Actor,
    *,
    entity: str = "",
    user: str = "",
    action: str = "",
    check: bool = False,
    limit: int = SHOWN,
) -> TrailView:
    """The latest records about an entity, of a user, or of one action (or of all),
    newest first; with the chain's verification when ``check``."""
    asked = {"audit": "workstation", "entity": entity, "user": user, "action": action}
    subject: dict[str, Any] = {k: v for k, v in asked.items() if v}
    require(conn, actor, AUDITORS, Action.VIEW, subject)
    verification = verify(conn) if check else None
    if entity:
        records = who_saw(conn, cluster_ids(conn, entity), limit=limit, newest_first=True)
    elif user:
        records = by_actor(conn, user)[-limit:][::-1]
    else:
        records = latest(conn, limit, action or None)
    audit(conn, actor, Action.VIEW, subject, result_size=len(records))
    return TrailView(records, verification)
