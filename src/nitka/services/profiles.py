"""An entity's profile, as its page shows it: the entity as the actor may see it,
its links, the merges that made it, the lists and cases it is on, and the latest
check that hit it.

Opening a profile is an audit record naming every entity it shows (the entity,
the ids merged into it, and its neighbours).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action, Outcome
from nitka.access.reading import visible_entity
from nitka.access.visibility import READERS, Redacted
from nitka.analysis.graph import Graph, expand
from nitka.analysis.links import members_of
from nitka.resolve.merges import Judgement, judgements_for
from nitka.screen.audit import latest_hit
from nitka.services.guard import DeclinedError, NotFoundError, audit, require, viewer_of


@dataclass(frozen=True)
class Profile:
    entity: Redacted
    graph: Graph
    judgements: list[Judgement]
    latest_hit: dict[str, Any] | None

    @property
    def cases(self) -> list[str]:
        """The cases of the statements the actor sees."""
        return sorted({s.case for s in self.entity.statements if s.case})

    @property
    def sources(self) -> list[str]:
        """The sources outside any case (watch lists, registers) the actor sees."""
        return sorted({s.dataset for s in self.entity.statements if not s.case})


def profile(
    conn: Connection, actor: Actor, entity_id: str, *, read: Connection | None = None
) -> Profile:
    """The entity's profile; an entity the actor may not see at all is answered as one
    that does not exist, and the attempt recorded. ``read``: where the profile is read
    (a replica's connection, ``nitka.store.replica``), by default ``conn``; the access
    check, what the actor may see and the audit record stay on ``conn``."""
    read = read if read is not None else conn
    subject = {"id": entity_id}
    require(conn, actor, READERS, Action.VIEW, subject)
    viewer = viewer_of(conn, actor)
    if viewer is None:
        raise DeclinedError("an entity's profile is shown to a signed-in account", field="user")
    shown = visible_entity(read, viewer, entity_id)
    if shown is None:
        audit(conn, actor, Action.VIEW, subject, outcome=Outcome.REFUSED)
        raise NotFoundError(f"no entity {entity_id!r}", field="entity_id")
    graph = expand(read, viewer, [shown.id])
    members = members_of(read, [shown.id])[shown.id]
    found = Profile(shown, graph, judgements_for(read, shown.id), latest_hit(read, members))
    seen = list(dict.fromkeys([shown.id, *graph.entity_ids()]))
    audit(conn, actor, Action.VIEW, subject, entities=seen, result_size=len(shown.statements))
    return found
