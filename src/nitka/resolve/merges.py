"""Merging entities and undoing merges, recorded as judgements.

A merge never rewrites or deletes a statement's value: statements keep their
source entity id, and only their ``canonical_id`` (which cluster they are shown
in) changes. Every merge and undo is a judgement row with who, when and why.

The canonical id of a cluster is derived from its members
(``nk-`` + a hash of the sorted member ids), so undoing a merge and merging
again gives back the same id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from nitka.effects import ChangeKind, after_write
from nitka.errors import FieldError
from nitka.store.reader import canonical_of
from nitka.store.tables import judgement, resolved_entity, statement

MERGE = "merge"
"""Left and right are one entity (their clusters are merged)."""
UNDO = "undo"
"""A merge taken back because the two are not one entity: they are kept apart from then on."""
DIFFERENT = "different"
"""Left and right are two people (a reviewer's "not the same"): never clustered together."""
UNSURE = "unsure"
"""A reviewer could not tell; it binds nothing, and the pair is not asked again."""
RETRACT = "retract"
"""A decision taken back without saying the opposite (a batch accepted by mistake):
a retracted merge is separated, but the pair may be proposed again."""
TAKING_BACK = (UNDO, RETRACT)


class ResolverError(FieldError):
    """A merge or undo that cannot be done, with the reason."""


@dataclass(frozen=True)
class Judgement:
    id: int
    kind: str
    left_id: str
    right_id: str
    undoes: int | None
    user: str
    reason: str
    created_at: datetime


def cluster_id(members: set[str]) -> str:
    """The canonical id of a cluster: the member itself, or a hash of all members."""
    if len(members) == 1:
        return next(iter(members))
    digest = hashlib.sha1("\n".join(sorted(members)).encode("utf-8")).hexdigest()
    return f"nk-{digest}"


def members_of(conn: Connection, canonical_id: str) -> set[str]:
    rows = conn.execute(
        select(resolved_entity.c.entity_id).where(resolved_entity.c.canonical_id == canonical_id)
    ).scalars()
    return set(rows) or {canonical_id}


def _entity_exists(conn: Connection, entity_id: str) -> bool:
    found = conn.execute(
        select(statement.c.id).where(statement.c.canonical_id == entity_id).limit(1)
    ).first()
    return found is not None


def merge(conn: Connection, left: str, right: str, user: str, reason: str) -> str:
    """Record that ``left`` and ``right`` are the same; returns the merged entity's id."""
    return merge_judged(conn, left, right, user, reason)[0]


def merge_judged(
    conn: Connection, left: str, right: str, user: str, reason: str
) -> tuple[str, int]:
    """``merge``, returning the merged entity's id and the judgement's."""
    if not reason.strip():
        raise ResolverError("a merge needs a reason", field="reason")
    left_c, right_c = canonical_of(conn, left), canonical_of(conn, right)
    for given, canonical in ((left, left_c), (right, right_c)):
        if not _entity_exists(conn, canonical):
            raise ResolverError(f"no entity with id {given!r}", field="id")
    if left_c == right_c:
        raise ResolverError(
            f"{left!r} and {right!r} are already the same entity ({left_c})", field="id"
        )
    left_members, right_members = members_of(conn, left_c), members_of(conn, right_c)
    # Judgements name source entities, not cluster ids, so that undoing one
    # merge can recompute the clusters from the merges that remain.
    left_rep = left if left in left_members else min(left_members)
    right_rep = right if right in right_members else min(right_members)
    members = left_members | right_members
    judged = record(conn, MERGE, left_rep, right_rep, None, user, reason)
    new_id = cluster_id(members)
    _assign(conn, ChangeKind.MERGED, {left_c, right_c}, [(members, new_id)])
    return new_id, judged


def undo(
    conn: Connection, judgement_id: int, user: str, reason: str, *, kind: str = UNDO
) -> list[str]:
    """Take back a merge; returns the canonical ids of the entities that result.

    ``kind``: ``UNDO`` (the two are not one entity: kept apart from then on) or
    ``RETRACT`` (the merge was a mistake of procedure: the pair may be proposed again).
    """
    if kind not in TAKING_BACK:
        raise ValueError(f"a merge is taken back by {TAKING_BACK}, not {kind!r}")
    if not reason.strip():
        raise ResolverError("undoing a merge needs a reason", field="reason")
    target = get_judgement(conn, judgement_id)
    if target is None or target.kind != MERGE:
        raise ResolverError(f"no merge judgement with id {judgement_id}", field="judgement")
    if judgement_id in taken_back(conn):
        raise ResolverError(f"merge {judgement_id} was already undone", field="judgement")
    current = canonical_of(conn, target.left_id)
    members = members_of(conn, current)
    record(conn, kind, target.left_id, target.right_id, judgement_id, user, reason)
    clusters = _components(members, _active_merges(conn, members))
    _assign(conn, ChangeKind.UNMERGED, {current}, [(g, cluster_id(g)) for g in clusters])
    return sorted(cluster_id(group) for group in clusters)


def judgements_for(conn: Connection, entity_id: str) -> list[Judgement]:
    """Every merge and undo that touched the entity's current cluster."""
    members = members_of(conn, canonical_of(conn, entity_id)) | {entity_id}
    rows = conn.execute(
        select(judgement)
        .where(judgement.c.left_id.in_(members) | judgement.c.right_id.in_(members))
        .order_by(judgement.c.id)
    )
    return [Judgement(**row._mapping) for row in rows]


def get_judgement(conn: Connection, judgement_id: int) -> Judgement | None:
    row = conn.execute(select(judgement).where(judgement.c.id == judgement_id)).first()
    return Judgement(**row._mapping) if row else None


def record(
    conn: Connection, kind: str, left: str, right: str, undoes: int | None, user: str, reason: str
) -> int:
    """Write a judgement row; returns its id. A merge goes through ``merge``, which
    also changes the clusters; this alone is the record of any other decision."""
    inserted = conn.execute(
        insert(judgement).values(
            kind=kind,
            left_id=left,
            right_id=right,
            undoes=undoes,
            user=user,
            reason=reason,
            created_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    return int(key[0])


def taken_back(conn: Connection) -> set[int]:
    rows = conn.execute(
        select(judgement.c.undoes).where(judgement.c.kind.in_(TAKING_BACK))
    ).scalars()
    return {r for r in rows if r is not None}


def _active_merges(conn: Connection, members: set[str]) -> list[tuple[str, str]]:
    undone = taken_back(conn)
    rows = conn.execute(
        select(judgement.c.id, judgement.c.left_id, judgement.c.right_id).where(
            judgement.c.kind == MERGE, judgement.c.left_id.in_(members)
        )
    )
    return [(left, right) for jid, left, right in rows if jid not in undone and right in members]


def _components(members: set[str], edges: list[tuple[str, str]]) -> list[set[str]]:
    parent = {m: m for m in members}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for left, right in edges:
        parent[find(left)] = find(right)
    groups: dict[str, set[str]] = {}
    for member in members:
        groups.setdefault(find(member), set()).add(member)
    return list(groups.values())


def _assign(
    conn: Connection, kind: ChangeKind, old_ids: set[str], clusters: list[tuple[set[str], str]]
) -> None:
    """Point every member of each cluster at its canonical id, in statements and the map;
    the after-write step reindexes the old and new ids and records the change."""
    conn.execute(delete(resolved_entity).where(resolved_entity.c.canonical_id.in_(old_ids)))
    for members, canonical_id in clusters:
        if len(members) > 1:
            conn.execute(
                insert(resolved_entity),
                [{"entity_id": m, "canonical_id": canonical_id} for m in sorted(members)],
            )
        conn.execute(
            update(statement)
            # Every member is in one of the old clusters: the canonical id index
            # finds their statements, the entity id picks this cluster's.
            .where(statement.c.canonical_id.in_(old_ids), statement.c.entity_id.in_(members))
            .values(canonical_id=canonical_id)
        )
    new_ids = [cid for _, cid in clusters]
    after_write(conn, kind, [*sorted(old_ids), *(c for c in new_ids if c not in old_ids)])
