"""Who may run which command: the same roles and need-to-know as over HTTP.

Each rule is a named set of roles or a small function, so that it can move
as it is into the service layer that will own every access check (issue 20).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.accounts import Role
from nitka.access.actor import Actor
from nitka.access.reading import visible_entity
from nitka.access.visibility import READERS, Viewer
from nitka.exchange.messages import Message
from nitka.exchange.sight import may_read_statement, may_see_message

MERGERS = READERS
"""Merge and undo a merge: the roles the workstation's entity page lets do it."""
CHECKERS = READERS
"""Screen a file of checks: the roles of ``POST /screen``."""
LIST_KEEPERS = frozenset({Role.LIAISON, Role.SUPERVISOR})
"""Withdraw and reinstate list entries, see exchange statistics: as over HTTP."""
AUDITORS = frozenset({Role.AUDITOR})
"""Read the audit trail."""
DATA_PROTECTION = frozenset({Role.SUPERVISOR})
"""Review periods, erasure and subject-access reports: the data subjects' rights
(docs/retention.md). The API has no route for them; a supervisor answers for
the unit's data."""
SUPERVISORS = frozenset({Role.SUPERVISOR})


def role_refusal(actor: Actor, roles: frozenset[Role]) -> str | None:
    """Why the actor's role may not do this, or None. A local operator (development
    mode only: production never lets one this far) is not checked."""
    if actor.role is None or actor.role in roles:
        return None
    article = "an" if actor.role.value[0] in "aeiou" else "a"
    if actor.role in (Role.AUDITOR, Role.ADMINISTRATOR) and roles <= READERS:
        return f"{article} {actor.role.value} reads no case data"
    return f"{article} {actor.role.value} may not do this"


def viewer_of(conn: Connection, actor: Actor) -> Viewer | None:
    """The need-to-know an account's command applies; None for a local operator,
    who works with the store's own credentials and reads every row anyway."""
    account = actor.account
    return Viewer.of(conn, account) if account is not None else None


def sees_entity(conn: Connection, viewer: Viewer | None, entity_id: str) -> bool:
    """Whether the entity exists for the viewer: one it may see none of does not
    (404 over HTTP, "no entity" here). A local operator sees every row; the
    command's own checks find an id that is not there."""
    if viewer is None:
        return True
    return visible_entity(conn, viewer, entity_id) is not None


def sees_message(viewer: Viewer | None, item: Message) -> bool:
    return viewer is None or may_see_message(viewer, item)


def readable_body(viewer: Viewer | None, body: dict[str, Any]) -> dict[str, Any]:
    """A message's body with only the statements the viewer may read, as
    ``GET /exchange/messages/{id}`` gives it."""
    if viewer is None:
        return body
    shown = dict(body)
    shown["statements"] = [s for s in body.get("statements", []) if may_read_statement(viewer, s)]
    return shown
