"""Merging entities, undoing merges, listing the judgements behind them, and
resolving a file of person records."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.reading import visible_entity
from nitka.resolve import merges
from nitka.resolve.engines import (
    DEFAULT_SPARK_MASTER,
    DUCKDB,
    SPARK_MASTER_ENV,
    Engine,
    EngineError,
    EngineName,
)
from nitka.resolve.files import Progress, Resolved, resolve_csv
from nitka.resolve.merges import Judgement, ResolverError
from nitka.resolve.model import DEFAULT_THRESHOLD, Training
from nitka.services.guard import RESOLVERS, NotFoundError, audit, require, viewer_of
from nitka.store.reader import canonical_of, get_entity


def merge(conn: Connection, actor: Actor, left: str, right: str, reason: str) -> str:
    """Record that two entities the actor may see are the same; returns the merged id."""
    subject = {"merge": [left, right], "reason": reason}
    require(conn, actor, RESOLVERS, Action.CHANGE, subject)
    left_id, right_id = _visible(conn, actor, left, "left"), _visible(conn, actor, right, "right")
    # The judgement names the ids as given (source entities where they were given).
    merged = merges.merge(conn, left, right, actor.name, reason)
    audit(conn, actor, Action.CHANGE, {**subject, "into": merged},
          entities=[left_id, right_id, merged])  # fmt: skip
    return merged


def unmerge(conn: Connection, actor: Actor, judgement_id: int, reason: str) -> list[str]:
    """Undo a merge of an entity the actor may see; returns the ids that result."""
    subject = {"unmerge": judgement_id, "reason": reason}
    require(conn, actor, RESOLVERS, Action.CHANGE, subject)
    target = merges.get_judgement(conn, judgement_id)
    if target is None or target.kind != merges.MERGE:
        raise NotFoundError(f"no merge judgement with id {judgement_id}", field="judgement")
    _visible(conn, actor, canonical_of(conn, target.left_id), "judgement")
    separated = merges.undo(conn, judgement_id, actor.name, reason)
    audit(conn, actor, Action.CHANGE, subject, entities=separated)
    return separated


def judgements(conn: Connection, actor: Actor, entity_id: str) -> list[Judgement]:
    """Every merge and undo of an entity the actor may see: who, when, why."""
    subject = {"judgements": entity_id}
    require(conn, actor, RESOLVERS, Action.VIEW, subject)
    shown = _visible(conn, actor, entity_id, "id")
    found = merges.judgements_for(conn, shown)
    audit(conn, actor, Action.VIEW, subject, entities=[shown], result_size=len(found))
    return found


def resolve_file(
    source: Path,
    target: Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    training: Training = Training.AUTO,
    progress: Progress | None = None,
    engine: Engine = DUCKDB,
) -> Resolved:
    """Link the person records of a CSV into clusters of one person each, into ``target``.

    The records are the caller's own file, linked without a store: no entity
    is read or written, so there is no one's access to check and nothing to
    record in the audit trail (as with ``nitka match pairs``). ``RowError``
    names the row and column of a bad input, and ``target`` is then not written;
    ``EngineError`` an engine that cannot start (``engine``: DuckDB or Spark).
    """
    return resolve_csv(source, target, threshold=threshold, training=training,
                       progress=progress, engine=engine)  # fmt: skip


def _visible(conn: Connection, actor: Actor, entity_id: str, field: str) -> str:
    """The canonical id of an entity the actor may see; NotFoundError otherwise."""
    viewer = viewer_of(conn, actor)
    if viewer is None:
        entity = get_entity(conn, entity_id)
        found = entity.id if entity is not None else None
    else:
        shown = visible_entity(conn, viewer, entity_id)
        found = shown.id if shown is not None else None
    if found is None:
        raise NotFoundError(f"no entity with id {entity_id!r}, or none you may see", field=field)
    return found


__all__ = [
    "DEFAULT_SPARK_MASTER",
    "DEFAULT_THRESHOLD",
    "SPARK_MASTER_ENV",
    "Engine",
    "EngineError",
    "EngineName",
    "Progress",
    "Resolved",
    "ResolverError",
    "Training",
    "judgements",
    "merge",
    "resolve_file",
    "unmerge",
]
