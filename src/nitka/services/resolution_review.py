"""Linking the store's persons and reviewing what a run proposes.

One function per user action, as everywhere in ``nitka.services``: a run over
the store (``run``), the review queue (``queue``), one candidate side by side
(``candidate``), a decision and taking it back (``decide``, ``take_back``), a
batch accepted above the administrator's threshold and undone (``accept_batch``,
``undo_batch``), the threshold itself (``set_batch_threshold``), and linking what
came into the store since the run with its model (``link_new``; an ingest does it
too, ``services.ingest``).

A candidate names two source entities; a reviewer sees it only when they may
see both (need-to-know), and otherwise it answers as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.visibility import Redacted, redact
from nitka.resolve import incremental, review, runs
from nitka.resolve.engines import DEFAULT_SPARK_MASTER, Engine, EngineError, EngineName
from nitka.resolve.merges import ResolverError
from nitka.resolve.model import DEFAULT_THRESHOLD, Training
from nitka.resolve.review import Batch, Candidate
from nitka.resolve.runs import Run
from nitka.resolve.stored import source_entity
from nitka.services.guard import (
    ADMINISTRATORS,
    RESOLVERS,
    NotFoundError,
    audit,
    require,
    viewer_of,
)
from nitka.store.preferences import get_preference, set_preference

BATCH_THRESHOLD = "resolve.batch_threshold"
"""The store setting: the least probability at which a batch may accept pairs."""
ENGINES = tuple(name.value for name in EngineName)


@dataclass(frozen=True)
class SideBySide:
    """A candidate with the two entities as the reviewer may see them."""

    candidate: Candidate
    left: Redacted
    right: Redacted


def run(
    conn: Connection,
    actor: Actor,
    *,
    datasets: Sequence[str] = (),
    engine: str = "duckdb",
    spark_master: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    training: Training = Training.AUTO,
    stage: runs.Stage | None = None,
    advance: Callable[[int], None] | None = None,
) -> Run:
    """Link the store's persons (of ``datasets``, or all) and propose pairs for review."""
    subject = {"resolve run": sorted(datasets), "engine": engine, "threshold": threshold}
    require(conn, actor, RESOLVERS, Action.CHANGE, subject)
    if engine not in ENGINES:
        raise ResolverError(f"the engine is one of {', '.join(ENGINES)}, not {engine!r}",
                            field="engine")  # fmt: skip
    try:
        chosen = Engine(EngineName(engine), spark_master or DEFAULT_SPARK_MASTER)
    except EngineError as error:
        raise ResolverError(error.message, field=error.field) from None
    if not 0 < threshold <= 1:
        raise ResolverError(f"a threshold is a probability above 0, not {threshold}",
                            field="threshold")  # fmt: skip
    done = runs.link_store(conn, actor.name, datasets=datasets, engine=chosen,
                           threshold=threshold, training=training, stage=stage,
                           advance=advance)  # fmt: skip
    audit(conn, actor, Action.CHANGE, {**subject, "run": done.id, "records": done.records,
          "candidates": done.candidates}, result_size=done.candidates)  # fmt: skip
    return done


def link_new(conn: Connection, actor: Actor) -> incremental.Caught:
    """Link the persons that came or changed since the latest run against those already
    resolved, with the run's model, and propose pairs for review
    (``resolve.incremental``); without a run, only keep the blocking keys current."""
    subject = {"resolve link new": "since the latest run"}
    require(conn, actor, RESOLVERS, Action.CHANGE, subject)
    caught = incremental.catch_up(conn)
    audit(conn, actor, Action.CHANGE, {**subject, "run": caught.run_id, "records": caught.linked,
          "candidates": caught.candidates}, result_size=caught.candidates)  # fmt: skip
    return caught


def latest_run(conn: Connection, actor: Actor) -> Run | None:
    subject = {"resolve runs": "latest"}
    require(conn, actor, RESOLVERS, Action.VIEW, subject)
    found = runs.latest_run(conn)
    audit(conn, actor, Action.VIEW, subject, result_size=int(found is not None))
    return found


def queue(conn: Connection, actor: Actor, *, limit: int = 20) -> list[SideBySide]:
    """Open candidates the actor may see, least certain first."""
    subject = {"resolve queue": limit}
    require(conn, actor, RESOLVERS, Action.VIEW, subject)
    found: list[SideBySide] = []
    for candidate in review.uncertain_first(conn):
        shown = _side_by_side(conn, actor, candidate)
        if shown is not None:
            found.append(shown)
        if len(found) >= limit:
            break
    entities = [e for s in found for e in (s.left.id, s.right.id)]
    audit(conn, actor, Action.VIEW, subject, entities=entities, result_size=len(found))
    return found


def open_candidates(conn: Connection, actor: Actor) -> int:
    """How many candidates are open (all of them: a count names no one)."""
    require(conn, actor, RESOLVERS, Action.VIEW, {"resolve queue": "count"})
    return review.open_count(conn)


def candidate(conn: Connection, actor: Actor, candidate_id: int) -> SideBySide:
    subject = {"resolve candidate": candidate_id}
    require(conn, actor, RESOLVERS, Action.VIEW, subject)
    shown = _visible(conn, actor, candidate_id)
    audit(conn, actor, Action.VIEW, subject, entities=[shown.left.id, shown.right.id])
    return shown


def decide(
    conn: Connection, actor: Actor, candidate_id: int, decision: str, reason: str
) -> Candidate:
    """A reviewer's answer on a pair: same, different or unsure."""
    subject = {"resolve decide": candidate_id, "decision": decision, "reason": reason}
    require(conn, actor, RESOLVERS, Action.CHANGE, subject)
    shown = _visible(conn, actor, candidate_id)
    decided = review.decide(conn, shown.candidate, decision, actor.name, reason)
    audit(conn, actor, Action.CHANGE, {**subject, "judgement": decided.judgement_id},
          entities=[shown.left.id, shown.right.id])  # fmt: skip
    return decided


def take_back(conn: Connection, actor: Actor, candidate_id: int, reason: str) -> Candidate:
    """Retract a decision on a pair: it is open again, and a merge it made is separated."""
    subject = {"resolve take back": candidate_id, "reason": reason}
    require(conn, actor, RESOLVERS, Action.CHANGE, subject)
    shown = _visible(conn, actor, candidate_id)
    found = review.take_back(conn, shown.candidate, actor.name, reason)
    audit(conn, actor, Action.CHANGE, subject, entities=[shown.left.id, shown.right.id])
    return found


def batch_threshold(conn: Connection) -> float | None:
    """The administrator's threshold for batches, if one is set (a setting, not data)."""
    value = get_preference(conn, BATCH_THRESHOLD)
    return None if value is None else float(value)


def set_batch_threshold(conn: Connection, actor: Actor, threshold: float) -> None:
    subject = {"resolve batch threshold": threshold}
    require(conn, actor, ADMINISTRATORS, Action.CHANGE, subject)
    if not 0.5 <= threshold <= 1:
        raise ResolverError(
            f"a batch threshold is a probability from 0.5 to 1, not {threshold}", field="threshold"
        )
    set_preference(conn, BATCH_THRESHOLD, repr(threshold), actor.name)
    audit(conn, actor, Action.CHANGE, subject)


def accept_batch(
    conn: Connection, actor: Actor, reason: str, *, at_least: float | None = None
) -> Batch:
    """Accept at once the open pairs clustered together at or above the administrator's
    threshold (or ``at_least``, which may only be higher), as far as the actor may see."""
    subject = {"resolve accept batch": at_least, "reason": reason}
    require(conn, actor, RESOLVERS, Action.CHANGE, subject)
    floor = batch_threshold(conn)
    if floor is None:
        raise ResolverError("no batch threshold is set: an administrator sets one "
                            "(nitka resolve threshold)", field="threshold")  # fmt: skip
    if at_least is not None and at_least < floor:
        raise ResolverError(f"a batch accepts pairs of at least {floor}, the administrator's "
                            f"threshold, not {at_least}", field="threshold")  # fmt: skip
    threshold = max(floor, at_least or floor)
    chosen = [c for c in review.batch_candidates(conn, threshold) if _side_by_side(conn, actor, c)]
    batch = review.accept_batch(conn, chosen, threshold, actor.name, reason)
    entities = sorted({e for c in chosen for e in (c.left_id, c.right_id)})
    audit(conn, actor, Action.CHANGE, {**subject, "batch": batch.id, "threshold": threshold},
          entities=entities, result_size=batch.accepted)  # fmt: skip
    return batch


def undo_batch(conn: Connection, actor: Actor, batch_id: int, reason: str) -> int:
    """Retract every merge a batch made; returns how many pairs are open again."""
    subject = {"resolve undo batch": batch_id, "reason": reason}
    require(conn, actor, RESOLVERS, Action.CHANGE, subject)
    batch = review.get_batch(conn, batch_id)
    undone = review.undo_batch(conn, batch, actor.name, reason)
    audit(conn, actor, Action.CHANGE, subject, result_size=undone)
    return undone


def _visible(conn: Connection, actor: Actor, candidate_id: int) -> SideBySide:
    found = review.get_candidate(conn, candidate_id)
    shown = None if found is None else _side_by_side(conn, actor, found)
    if shown is None:
        raise NotFoundError(f"no candidate {candidate_id}, or none you may see",
                            field="candidate")  # fmt: skip
    return shown


def _side_by_side(conn: Connection, actor: Actor, found: Candidate) -> SideBySide | None:
    viewer = viewer_of(conn, actor)
    sides = []
    for entity_id in (found.left_id, found.right_id):
        entity = source_entity(conn, entity_id)
        if entity is None:
            return None
        if viewer is None:
            shown: Redacted | None = Redacted(
                entity.id, entity.schema.name, entity.statements, protected=False
            )
        else:
            shown = redact(entity, viewer)
        if shown is None or not shown.statements:
            return None
        sides.append(shown)
    return SideBySide(found, sides[0], sides[1])


def my_decisions(conn: Connection, actor: Actor, *, limit: int = 20) -> list[SideBySide]:
    """The actor's own latest decisions (not batches'), as far as they may still see
    both sides: what they may take back."""
    subject = {"resolve my decisions": limit}
    require(conn, actor, RESOLVERS, Action.VIEW, subject)
    found = [
        shown
        for decided in review.decided_by(conn, actor.name, limit=limit)
        if (shown := _side_by_side(conn, actor, decided)) is not None
    ]
    entities = [e for s in found for e in (s.left.id, s.right.id)]
    audit(conn, actor, Action.VIEW, subject, entities=entities, result_size=len(found))
    return found


def batches(conn: Connection, actor: Actor, *, limit: int = 20) -> list[Batch]:
    """The latest batches: who accepted how many pairs, above which threshold, why (a
    batch names no entity, so every resolver sees the list)."""
    subject = {"resolve batches": limit}
    require(conn, actor, RESOLVERS, Action.VIEW, subject)
    found = review.recent_batches(conn, limit=limit)
    audit(conn, actor, Action.VIEW, subject, result_size=len(found))
    return found


def next_candidate(conn: Connection, actor: Actor, *, after: int | None = None) -> int | None:
    """The id of the open candidate the actor may see that comes after ``after`` in the
    queue (least certain first), or the first when ``after`` is not open any more; None
    when there is none. An id names no one, so it is not an audit record of entities."""
    require(conn, actor, RESOLVERS, Action.VIEW, {"resolve next": after})
    first: int | None = None
    passed = after is None
    for found in review.uncertain_first(conn):
        if found.id == after:
            passed = True
            continue
        if (first is None or passed) and _side_by_side(conn, actor, found) is not None:
            if passed:
                return found.id
            first = found.id
    return first
