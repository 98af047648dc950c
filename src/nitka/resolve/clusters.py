"""Clusters from scored pairs, strongest first, never joining records that must stay apart.

Splink's own clustering joins the connected components of every pair above
the threshold, so one record without a birth date that links to a person and
to their namesake puts the two in one cluster: weak links chain. Here pairs
are taken in order of their match probability, and two clusters are joined
only if no record of one must stay apart from a record of the other:

- their birth dates cannot be one person's (neither the same nor close, as
  ``nitka.match.dates`` has it, nor day and month swapped);
- an analyst judged them to be two people (a cannot-link, ``different``).

Pairs an analyst judged to be one person (``same``) are joined first, whatever
their scores and dates say: a judgement is kept, not re-decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ScoredPair = tuple[str, str, float]
"""Two record ids and their match probability."""


@dataclass(frozen=True)
class Births:
    """What a record's birth dates allow: its full dates (packed ``YYYYMMDD``), the
    packed dates that agree with them, and its dates with day and month swapped."""

    full: frozenset[int]
    agree: frozenset[int]
    swapped: frozenset[str]
    dates: frozenset[str]

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Births:
        """From a prepared row (``nitka.resolve.prepare.prepare``)."""
        full = frozenset(p for p in row["birth_packed"] if p % 100 and (p // 100) % 100)
        return cls(
            full, frozenset(row["birth_agree"]), frozenset(row["birth_swapped"]),
            frozenset(row["birth_dates"]),
        )  # fmt: skip

    def conflicts(self, other: Births) -> bool:
        """Both give a full date, and none of one's agrees with any of the other's."""
        if not self.full or not other.full:
            return False
        if self.full & other.agree or other.full & self.agree:
            return False
        return not (self.dates & other.swapped or other.dates & self.swapped)


@dataclass
class _Cluster:
    members: list[str]
    dated: list[Births] = field(default_factory=list)
    """The members' birth dates, for the members that give a full one."""


def constrained_clusters(
    ids: Sequence[str],
    pairs: Iterable[ScoredPair],
    births: Mapping[str, Births],
    *,
    same: Sequence[tuple[str, str]] = (),
    different: Sequence[tuple[str, str]] = (),
) -> dict[str, str]:
    """Record id -> cluster id (the smallest id of its records), from ``pairs`` at or
    above the threshold (the caller's selection), strongest first."""
    clusters = {
        record: _Cluster([record], [births[record]] if births[record].full else [])
        for record in ids
    }
    home = {record: record for record in ids}
    apart: dict[str, set[str]] = {}
    for left, right in different:
        apart.setdefault(left, set()).add(right)
        apart.setdefault(right, set()).add(left)

    def join(left: str, right: str, *, check: bool) -> None:
        a, b = clusters[home[left]], clusters[home[right]]
        if a is b or (check and _kept_apart(a, b, apart)):
            return
        if len(a.members) < len(b.members):
            a, b = b, a
        for member in b.members:
            home[member] = home[a.members[0]]
        a.members += b.members
        a.dated += b.dated
        b.members, b.dated = [], []

    for left, right in same:
        join(left, right, check=False)
    for left, right, _ in sorted(pairs, key=lambda pair: (-pair[2], pair[0], pair[1])):
        join(left, right, check=True)
    named = {key: min(cluster.members) for key, cluster in clusters.items() if cluster.members}
    return {record: named[home[record]] for record in ids}


def _kept_apart(a: _Cluster, b: _Cluster, apart: Mapping[str, set[str]]) -> bool:
    if apart:
        others = set(b.members)
        if any(apart.get(member, set()) & others for member in a.members):
            return True
    return any(x.conflicts(y) for x in a.dated for y in b.dated)
