"""Analysts' judgements as what linkage learns from and never overrides.

Each pair of source entities an analyst has judged is, by its latest judgement
still standing:

- **one person**: a merge (its pairs are Splink's pairwise labels, from which
  the m probabilities are counted, and are always clustered together);
- **two people**: a reviewer's "not the same", or a merge undone because the
  two are not one entity (``merges.UNDO``): never clustered together, however
  strongly the model links them or others chain them;
- **nothing**: a pair judged "unsure", or whose decision was retracted
  (``merges.RETRACT``): it binds nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.resolve.merges import DIFFERENT, MERGE, RETRACT, UNDO
from nitka.store.tables import judgement

Pair = tuple[str, str]


@dataclass
class Constraints:
    same: list[Pair] = field(default_factory=list)
    """Pairs judged one person (must-link; training labels)."""
    different: list[Pair] = field(default_factory=list)
    """Pairs judged two people (cannot-link)."""

    def judged(self) -> set[Pair]:
        return {_key(*pair) for pair in (*self.same, *self.different)}


def constraints(conn: Connection, records: Collection[str] | None = None) -> Constraints:
    """The standing judgements between records (all, when ``records`` is None)."""
    rows = conn.execute(
        select(judgement.c.id, judgement.c.kind, judgement.c.left_id, judgement.c.right_id,
               judgement.c.undoes).order_by(judgement.c.id)
    ).all()  # fmt: skip
    pair_of = {row.id: _key(row.left_id, row.right_id) for row in rows}
    standing: dict[Pair, tuple[int, str]] = {}
    """Pair -> (the judgement that decides it, what it says)."""
    for row in rows:
        pair = pair_of[row.id]
        if row.kind == MERGE:
            standing[pair] = (row.id, MERGE)
        elif row.kind in (DIFFERENT, UNDO):
            standing[pair] = (row.id, DIFFERENT)
        elif row.kind == RETRACT and row.undoes is not None:
            taken = pair_of.get(row.undoes)
            if taken is not None and standing.get(taken, (None,))[0] == row.undoes:
                del standing[taken]
    wanted = None if records is None else set(records)
    found = Constraints()
    for pair, (_, says) in sorted(standing.items()):
        if wanted is not None and not (pair[0] in wanted and pair[1] in wanted):
            continue
        (found.same if says == MERGE else found.different).append(pair)
    return found


def _key(left: str, right: str) -> Pair:
    return (left, right) if left <= right else (right, left)
