"""Watch-list entries withdrawn, reinstated, or re-read by hand."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.effects import ChangeKind, after_write
from nitka.screen.withdrawals import WithdrawalKind, record
from nitka.services.guard import LIST_KEEPERS, audit, require


def withdraw(conn: Connection, actor: Actor, listed: str, entity_id: str, reason: str) -> None:
    """Take an entry off a watch list (a cancelled notice, a recovered document); its
    statements stay, and every screening process stops hitting it."""
    _change(conn, actor, WithdrawalKind.WITHDRAW, listed, entity_id, reason)


def reinstate(conn: Connection, actor: Actor, listed: str, entity_id: str, reason: str) -> None:
    """Put a withdrawn entry back on its watch list."""
    _change(conn, actor, WithdrawalKind.REINSTATE, listed, entity_id, reason)


def refresh(conn: Connection, actor: Actor, entity_ids: Sequence[str]) -> None:
    """Ask every screening process to re-read these entities."""
    subject = {"refresh": list(entity_ids)}
    require(conn, actor, LIST_KEEPERS, Action.CHANGE, subject)
    after_write(conn, ChangeKind.REFRESH, entity_ids)
    audit(conn, actor, Action.CHANGE, subject, entities=entity_ids)


def _change(
    conn: Connection,
    actor: Actor,
    kind: WithdrawalKind,
    listed: str,
    entity_id: str,
    reason: str,
) -> None:
    subject = {kind.value: entity_id, "list": listed, "reason": reason}
    require(conn, actor, LIST_KEEPERS, Action.CHANGE, subject)
    record(conn, kind, entity_id, listed, user=actor.name, reason=reason)
    audit(conn, actor, Action.CHANGE, subject, entities=[entity_id])
