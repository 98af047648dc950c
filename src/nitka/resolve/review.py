"""The review of candidate pairs: the queue, decisions, batches, and taking them back.

The queue puts first the pairs whose decision teaches the model most: those
it is least sure of (probability nearest one half). A decision is a
judgement (``merges``): "same" merges the two, "different" keeps them apart
in every later run (``judged``), "unsure" binds nothing but is not asked
again. A batch accepts, at once, the open pairs the run clustered together at
or above a threshold; each accepted pair is a merge of its own, and undoing
the batch retracts them all (``merges.RETRACT``: the pairs may be proposed
again, they are not judged two people).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from nitka.resolve import merges
from nitka.resolve.merges import DIFFERENT, MERGE, RETRACT, UNSURE, ResolverError
from nitka.resolve.runs import OPEN
from nitka.store.reader import canonical_of
from nitka.store.tables import resolve_batch, resolve_candidate

SAME = "same"
DECISIONS = {SAME: MERGE, DIFFERENT: DIFFERENT, UNSURE: UNSURE}
"""What a reviewer may answer, and the judgement each is recorded as."""
PAGE = 200


@dataclass(frozen=True)
class Candidate:
    id: int
    run_id: int
    left_id: str
    right_id: str
    probability: float
    weight: float
    comparisons: list[list[Any]]
    """``[[comparison, level, weight], ...]``: Splink's waterfall, in words."""
    clustered: bool
    state: str
    judgement_id: int | None
    batch_id: int | None
    decided_by: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class Batch:
    id: int
    user: str
    threshold: float
    accepted: int
    reason: str
    created_at: datetime
    undone_at: datetime | None


def uncertain_first(conn: Connection, *, start: int = 0) -> Iterator[Candidate]:
    """Open candidates, least certain first, in pages (the caller stops when it has enough)."""
    order = (func.abs(resolve_candidate.c.probability - 0.5), resolve_candidate.c.id)
    while True:
        rows = conn.execute(
            select(resolve_candidate)
            .where(resolve_candidate.c.state == OPEN)
            .order_by(*order)
            .offset(start)
            .limit(PAGE)
        ).all()
        yield from map(_candidate, rows)
        if len(rows) < PAGE:
            return
        start += PAGE


def open_count(conn: Connection) -> int:
    found = conn.execute(
        select(func.count()).select_from(resolve_candidate).where(resolve_candidate.c.state == OPEN)
    )
    return int(found.scalar_one())


def get_candidate(conn: Connection, candidate_id: int) -> Candidate | None:
    row = conn.execute(
        select(resolve_candidate).where(resolve_candidate.c.id == candidate_id)
    ).first()
    return None if row is None else _candidate(row)


def decide(
    conn: Connection, candidate: Candidate, decision: str, user: str, reason: str
) -> Candidate:
    """Record a reviewer's decision on an open candidate."""
    if decision not in DECISIONS:
        raise ResolverError(
            f"a decision is one of {', '.join(DECISIONS)}, not {decision!r}", field="decision"
        )
    if candidate.state != OPEN:
        raise ResolverError(
            f"candidate {candidate.id} was already decided ({candidate.state})", field="candidate"
        )
    if not reason.strip():
        raise ResolverError("a decision needs a reason", field="reason")
    judged = _judge(conn, candidate, decision, user, reason)
    _mark(conn, [candidate.id], decision, judged, user)
    found = get_candidate(conn, candidate.id)
    assert found is not None
    return found


def _judge(conn: Connection, candidate: Candidate, decision: str, user: str, reason: str) -> int:
    left, right = candidate.left_id, candidate.right_id
    same_now = canonical_of(conn, left) == canonical_of(conn, right)
    if decision == SAME:
        if same_now:
            raise ResolverError(f"{left!r} and {right!r} are already one entity", field="candidate")
        return merges.merge_judged(conn, left, right, user, reason)[1]
    if decision == DIFFERENT and same_now:
        raise ResolverError(
            f"{left!r} and {right!r} are merged: undo the merge that joined them instead",
            field="candidate",
        )
    return merges.record(conn, DECISIONS[decision], left, right, None, user, reason)


def take_back(conn: Connection, candidate: Candidate, user: str, reason: str) -> Candidate:
    """Retract a reviewer's decision: the pair is open again (a merge is separated)."""
    if candidate.state == OPEN or candidate.judgement_id is None:
        raise ResolverError(f"candidate {candidate.id} has no decision to take back",
                            field="candidate")  # fmt: skip
    if not reason.strip():
        raise ResolverError("taking a decision back needs a reason", field="reason")
    if candidate.state == SAME:
        merges.undo(conn, candidate.judgement_id, user, reason, kind=RETRACT)
    else:
        merges.record(conn, RETRACT, candidate.left_id, candidate.right_id,
                      candidate.judgement_id, user, reason)  # fmt: skip
    _reopen(conn, [candidate.id])
    found = get_candidate(conn, candidate.id)
    assert found is not None
    return found


def batch_candidates(conn: Connection, threshold: float) -> list[Candidate]:
    """Open candidates at or above ``threshold`` that the run clustered together."""
    rows = conn.execute(
        select(resolve_candidate)
        .where(
            resolve_candidate.c.state == OPEN,
            resolve_candidate.c.clustered.is_(True),
            resolve_candidate.c.probability >= threshold,
        )
        .order_by(resolve_candidate.c.probability.desc(), resolve_candidate.c.id)
    ).all()
    return [_candidate(row) for row in rows]


def accept_batch(
    conn: Connection, candidates: list[Candidate], threshold: float, user: str, reason: str
) -> Batch:
    """Accept the candidates as one batch: a merge each (a pair that an earlier merge of
    the batch already joined is marked accepted with no merge of its own)."""
    if not reason.strip():
        raise ResolverError("accepting a batch needs a reason", field="reason")
    now = _now()
    values = {"user": user, "threshold": threshold, "accepted": 0, "reason": reason}
    key = conn.execute(insert(resolve_batch).values(**values, created_at=now)).inserted_primary_key
    assert key is not None
    batch_id = int(key[0])
    accepted = 0
    for candidate in candidates:
        judged: int | None = None
        if canonical_of(conn, candidate.left_id) != canonical_of(conn, candidate.right_id):
            judged = merges.merge_judged(conn, candidate.left_id, candidate.right_id, user,
                                         f"batch {batch_id}: {reason}")[1]  # fmt: skip
        _mark(conn, [candidate.id], SAME, judged, user, batch=batch_id)
        accepted += 1
    conn.execute(update(resolve_batch).where(resolve_batch.c.id == batch_id)
                 .values(accepted=accepted))  # fmt: skip
    return get_batch(conn, batch_id)


def undo_batch(conn: Connection, batch: Batch, user: str, reason: str) -> int:
    """Retract every merge of a batch, newest first; its candidates are open again."""
    if batch.undone_at is not None:
        raise ResolverError(f"batch {batch.id} was already undone", field="batch")
    if not reason.strip():
        raise ResolverError("undoing a batch needs a reason", field="reason")
    rows = conn.execute(
        select(resolve_candidate)
        .where(resolve_candidate.c.batch_id == batch.id, resolve_candidate.c.state == SAME)
        .order_by(resolve_candidate.c.judgement_id.desc())
    ).all()
    taken = merges.taken_back(conn)
    for row in rows:
        if row.judgement_id is not None and row.judgement_id not in taken:
            merges.undo(conn, row.judgement_id, user, f"batch {batch.id} undone: {reason}",
                        kind=RETRACT)  # fmt: skip
    _reopen(conn, [row.id for row in rows])
    conn.execute(
        update(resolve_batch)
        .where(resolve_batch.c.id == batch.id)
        .values(undone_at=_now(), undone_by=user)
    )
    return len(rows)


def get_batch(conn: Connection, batch_id: int) -> Batch:
    row = conn.execute(select(resolve_batch).where(resolve_batch.c.id == batch_id)).first()
    if row is None:
        raise ResolverError(f"no batch with id {batch_id}", field="batch")
    return Batch(row.id, row.user, row.threshold, row.accepted, row.reason,
                 row.created_at, row.undone_at)  # fmt: skip


def _mark(
    conn: Connection,
    ids: list[int],
    state: str,
    judged: int | None,
    user: str,
    *,
    batch: int | None = None,
) -> None:
    conn.execute(
        update(resolve_candidate)
        .where(resolve_candidate.c.id.in_(ids))
        .values(
            state=state, judgement_id=judged, batch_id=batch, decided_by=user, decided_at=_now()
        )
    )


def _reopen(conn: Connection, ids: list[int]) -> None:
    conn.execute(
        update(resolve_candidate)
        .where(resolve_candidate.c.id.in_(ids))
        .values(state=OPEN, judgement_id=None, batch_id=None, decided_by=None, decided_at=None)
    )


def _candidate(row: Any) -> Candidate:
    return Candidate(
        id=row.id,
        run_id=row.run_id,
        left_id=row.left_id,
        right_id=row.right_id,
        probability=row.probability,
        weight=row.weight,
        comparisons=json.loads(row.comparisons),
        clustered=bool(row.clustered),
        state=row.state,
        judgement_id=row.judgement_id,
        batch_id=row.batch_id,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def decided_by(conn: Connection, user: str, *, limit: int = 20) -> list[Candidate]:
    """The user's own decisions (not a batch's), newest first: what they may take back."""
    rows = conn.execute(
        select(resolve_candidate)
        .where(
            resolve_candidate.c.decided_by == user,
            resolve_candidate.c.state != OPEN,
            resolve_candidate.c.batch_id.is_(None),
        )
        .order_by(resolve_candidate.c.decided_at.desc(), resolve_candidate.c.id.desc())
        .limit(limit)
    ).all()
    return [_candidate(row) for row in rows]


def recent_batches(conn: Connection, *, limit: int = 20) -> list[Batch]:
    """The latest batches, newest first (undone ones too: the record of what was done)."""
    rows = conn.execute(
        select(resolve_batch.c.id).order_by(resolve_batch.c.id.desc()).limit(limit)
    ).all()
    return [get_batch(conn, row.id) for row in rows]
