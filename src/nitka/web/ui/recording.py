"""The workstation's audit records: who saw or changed what, from which address,
with ``workstation`` as the purpose (the pages carry no purpose of their own)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account
from nitka.access.audit import Action, AuditEvent, Outcome, append
from nitka.analysis.graph import PHONE
from nitka.web.auth import origin_of

PURPOSE = "workstation"


def record(
    conn: Connection,
    request: Request,
    account: Account,
    action: Action,
    subject: dict[str, Any],
    entities: Sequence[str] = (),
    *,
    result_size: int | None = None,
    outcome: Outcome = Outcome.DONE,
) -> None:
    """Append the record; phone-number nodes are not entities and are left out of
    the entity list (a number is in the subject when it was asked for)."""
    named = [e for e in entities if not e.startswith(PHONE)]
    append(
        conn,
        AuditEvent(
            actor=account.name,
            action=action,
            origin=origin_of(request),
            purpose=PURPOSE,
            subject=subject,
            entities=named,
            result_size=len(named) if result_size is None else result_size,
            outcome=outcome,
        ),
    )
