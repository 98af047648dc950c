"""Who may do what, and the audit record every service function writes.

The role sets here are the access rules of the whole system: a front end
never tests a role itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection, Engine

from nitka.access.accounts import Role
from nitka.access.actor import Actor
from nitka.access.audit import Action, AuditEvent, Outcome, append
from nitka.access.visibility import READERS, Viewer
from nitka.errors import FieldError

CHECKERS = frozenset({Role.ANALYST, Role.INVESTIGATOR, Role.LIAISON, Role.SUPERVISOR})
"""Who may check against the watch lists (a hit is police data)."""
LIST_KEEPERS = frozenset({Role.LIAISON, Role.SUPERVISOR})
"""Who may withdraw, reinstate and refresh watch-list entries."""
RESOLVERS = READERS
"""Who may merge entities and undo merges (of what they may see)."""
AUDITORS = frozenset({Role.AUDITOR})
"""Who reads the audit trail (and no case data)."""
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
"""Who manages accounts, tokens, agencies and units (and reads no case data)."""
DATA_PROTECTION = frozenset({Role.SUPERVISOR})
"""Who answers data subjects' rights for the unit's data (docs/retention.md): review
periods, erasure (Art. 16) and subject access reports."""
H2_EXPORTERS = READERS
"""Who may export H2 statements, and only with the provider's permission named."""
EXCHANGE_USERS = READERS
"""Who drafts, answers, sends, takes up and closes messages to and from partners, and
reads them: the messages of their cases (``nitka.exchange.sight``)."""
APPROVERS = frozenset({Role.SUPERVISOR})
"""Who approves a message for sending (never its own: four eyes) and records the legal
decision on a message the Article 3 checks flagged."""
SENDERS = frozenset({Role.LIAISON, Role.SUPERVISOR})
"""Who sends an approved message that someone else wrote (its author may send it too)."""
EXCHANGE_DESK = frozenset({Role.LIAISON, Role.SUPERVISOR})
"""Who reads the exchange's statistics (figures over every message)."""
EXCHANGE_KEEPERS = ADMINISTRATORS
"""Who registers partner agencies and makes this instance's exchange keys."""
PARTNER_READERS = ADMINISTRATORS | READERS
"""Who lists the partners (their addresses and public keys: no case data)."""
OUTBOX_KEEPERS = ADMINISTRATORS | SENDERS
"""Who delivers the outbox by hand (``nitka serve`` does it in the background)."""
PROJECTION_KEEPERS = ADMINISTRATORS | READERS
"""Who rebuilds an analysis projection (calls, payments) from the statements: upkeep,
which shows only how many rows and rejects there are."""
STATISTICS_READERS = READERS
"""Who makes the periodic statistics (``nitka report statistics``), counted over what
they may see. Not the administrator: a count of victims by citizenship is case data
(docs/reports.md says how a unit-wide report is made)."""


class DeclinedError(FieldError):
    """An action declined before any work was done; what the service recorded of it
    in the audit trail is kept (``transaction`` commits)."""

    status = 400


class RefusedError(DeclinedError):
    """The actor may not do this; the refusal is already in the audit trail."""

    status = 403


class NotFoundError(DeclinedError):
    """No such thing, or none the actor may see (the two are not told apart)."""

    status = 404


def audit(
    conn: Connection,
    actor: Actor,
    action: Action,
    subject: Any,
    *,
    entities: Sequence[str] = (),
    result_size: int = 0,
    outcome: Outcome = Outcome.DONE,
) -> None:
    """Append the action's audit record in the caller's transaction."""
    append(
        conn,
        AuditEvent(
            actor=actor.name,
            action=action,
            origin=actor.origin,
            purpose=actor.purpose,
            subject=subject,
            entities=entities,
            result_size=result_size,
            outcome=outcome,
        ),
    )


def refuse(
    conn: Connection, actor: Actor, action: Action, subject: dict[str, Any], why: str, field: str
) -> RefusedError:
    """Record a refusal; returns the error for the caller to raise."""
    audit(conn, actor, action, {**subject, "refused": why}, outcome=Outcome.REFUSED)
    return RefusedError(why, field=field)


def require(
    conn: Connection,
    actor: Actor,
    roles: frozenset[Role],
    action: Action,
    subject: dict[str, Any],
) -> None:
    """Go on only if the actor's role is one of ``roles``, or the actor is a local
    operator (development mode: the front end never makes one in production)."""
    why = role_refusal(actor, roles)
    if why is not None:
        raise refuse(conn, actor, action, subject, why, "role")


def role_refusal(actor: Actor, roles: frozenset[Role]) -> str | None:
    """Why the actor's role may not do this, or None if it may. A local operator is
    not checked (development mode only)."""
    if actor.role is None or actor.role in roles:
        return None
    article = "an" if actor.role.value[0] in "aeiou" else "a"
    if actor.role in (Role.AUDITOR, Role.ADMINISTRATOR) and roles <= READERS:
        return f"{article} {actor.role.value} reads no case data"
    return f"{article} {actor.role.value} may not do this"


def viewer_of(conn: Connection, actor: Actor) -> Viewer | None:
    """What the actor may see: None for a local operator, who reads every row."""
    account = actor.account
    return Viewer.of(conn, account) if account is not None else None


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """The caller's transaction for a service call: committed when the call succeeds,
    and also when it is declined, so that the refusal's audit record stays (a service
    declines before it does any work); rolled back on any other error."""
    with engine.connect() as conn:
        tx = conn.begin()
        try:
            yield conn
        except DeclinedError:
            tx.commit()
            raise
        except BaseException:
            tx.rollback()
            raise
        tx.commit()
