"""Clusters from scored pairs, strongest first, never joining records that must stay apart.

Splink's own clustering joins the connected components of every pair above
the threshold, so one record without a birth date that links to a person and
to their namesake puts the two in one cluster: weak links chain. Here pairs
are taken in order of their match probability, and two clusters are joined
only if no record of one must stay apart from a record of the other:

- their birth dates cannot be one person's (neither the same nor close, as
  ``nitka.match.dates`` has it, nor day and month swapped);
  A year given alone conflicts with a full date, or another year, more than a
  year away from it (``1953`` and ``1944-05-28``);
- an analyst judged them to be two people (a cannot-link, ``different``).

Pairs an analyst judged to be one person (``same``) are joined first, whatever
their scores and dates say: a judgement is kept, not re-decided.

A cluster of more than ``MAX_CLUSTER`` records is then looked at again: if
the links that made it are not all strong (``STRONG``), it is cut at its
weakest link, and each part again, until every part is no larger than the cap
or is held together by strong links alone. Taken strongest first, the links
that joined clusters are a maximum spanning tree of the cluster, so the cut
is where the chain was weakest: many records chained by links each barely
over the threshold make no giant cluster, while one person's many records
that link each other strongly stay one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ScoredPair = tuple[str, str, float]
"""Two record ids and their match probability."""

MAX_CLUSTER = 20
"""Records a cluster may have before its weak links are cut: more than sources
commonly hold of one person."""
STRONG = 0.99
"""A link this probable holds a cluster of any size together."""


@dataclass(frozen=True)
class Births:
    """What a record's birth dates allow: its full dates (packed ``YYYYMMDD``), the
    packed dates that agree with them, and its dates with day and month swapped."""

    full: frozenset[int]
    agree: frozenset[int]
    swapped: frozenset[str]
    dates: frozenset[str]
    years: frozenset[int] = frozenset()
    """Every year the record gives, with a full date or alone."""

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Births:
        """From a prepared row (``nitka.resolve.prepare.prepare``)."""
        full = frozenset(p for p in row["birth_packed"] if p % 100 and (p // 100) % 100)
        return cls(
            full, frozenset(row["birth_agree"]), frozenset(row["birth_swapped"]),
            frozenset(row["birth_dates"]), frozenset(row["birth_years"]),
        )  # fmt: skip

    @property
    def known(self) -> bool:
        """Whether the record gives a birth date at all (a year at least)."""
        return bool(self.full or self.years)

    def conflicts(self, other: Births) -> bool:
        """Both give a full date, and none of one's agrees with any of the other's;
        or one gives a year alone and no year of one is within a year of the
        other's (as the model's level "close" has it)."""
        if not self.known or not other.known:
            return False
        if not self.full or not other.full:
            return not any(abs(a - b) <= 1 for a in self.years for b in other.years)
        if self.full & other.agree or other.full & self.agree:
            return False
        return not (self.dates & other.swapped or other.dates & self.swapped)


@dataclass
class _Cluster:
    members: list[str]
    dated: list[Births] = field(default_factory=list)
    """The members' birth dates, for the members that give one."""
    links: list[ScoredPair] = field(default_factory=list)
    """The pairs that joined its members, with their probabilities (none for a
    pair an analyst judged the same: it is never cut)."""


@dataclass
class Clustering:
    """Record id -> cluster id, and how many clusters were cut apart."""

    clusters: dict[str, str]
    split: int = 0
    """Clusters larger than the cap cut at their weak links."""


def constrained_clusters(
    ids: Sequence[str],
    pairs: Iterable[ScoredPair],
    births: Mapping[str, Births],
    *,
    same: Sequence[tuple[str, str]] = (),
    different: Sequence[tuple[str, str]] = (),
    cap: int = MAX_CLUSTER,
    strong: float = STRONG,
) -> Clustering:
    """Clusters (each named by the smallest id of its records) from ``pairs`` at or
    above the threshold (the caller's selection), strongest first; clusters of
    more than ``cap`` records cut at their links weaker than ``strong``."""
    # Only the records some pair or judgement names get a cluster of their own: of a
    # million records, the rest (most of them) are each their own cluster.
    clusters: dict[str, _Cluster] = {}
    home: dict[str, str] = {}
    apart: dict[str, set[str]] = {}
    for left, right in different:
        apart.setdefault(left, set()).add(right)
        apart.setdefault(right, set()).add(left)

    def cluster_of(record: str) -> _Cluster:
        found = home.get(record)
        if found is not None:
            return clusters[found]
        dated = births[record]
        home[record] = record
        cluster = clusters[record] = _Cluster([record], [dated] if dated.known else [])
        return cluster

    def join(left: str, right: str, probability: float | None) -> None:
        a, b = cluster_of(left), cluster_of(right)
        if a is b or (probability is not None and _kept_apart(a, b, apart)):
            return
        if len(a.members) < len(b.members):
            a, b = b, a
        for member in b.members:
            home[member] = home[a.members[0]]
        a.members += b.members
        a.dated += b.dated
        a.links += b.links
        if probability is not None:
            a.links.append((left, right, probability))
        b.members, b.dated, b.links = [], [], []

    for left, right in same:
        join(left, right, None)
    for left, right, probability in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        join(left, right, probability)
    found: dict[str, str] = {}
    split = 0
    for cluster in clusters.values():
        if len(cluster.members) < 2:
            continue
        parts = _cut(cluster.members, cluster.links, cap, strong)
        split += len(parts) > 1
        for part in parts:
            found.update(dict.fromkeys(part, min(part)))
    return Clustering({record: found.get(record, record) for record in ids}, split)


def _cut(members: list[str], links: list[ScoredPair], cap: int, strong: float) -> list[list[str]]:
    """A cluster's parts: itself if it is small enough or all its links are strong;
    else the parts its links leave when each weak link is cut that, with the
    links stronger than it, holds more than ``cap`` records together.

    ``links`` are the pairs that joined the members (a spanning tree, less the
    pairs judged the same, which are never cut). Taken strongest first, as they
    were joined, a link is cut if it is weaker than ``strong`` and the two groups
    it joins number more than ``cap`` records: the weakest links of a long chain
    are cut first, and each part keeps the links stronger than its cuts.
    """
    if len(members) <= cap or all(link[2] >= strong for link in links):
        return [members]
    ordered = sorted(links, key=lambda link: (-link[2], link[0], link[1]))
    held = Forest(members)
    kept: list[ScoredPair] = []
    for left, right, probability in ordered:
        if probability >= strong or held.size(left) + held.size(right) <= cap:
            kept.append((left, right, probability))
        held.union(left, right)
    parts = Forest(members)
    for left, right, _ in kept:
        parts.union(left, right)
    return parts.groups()


class Forest:
    """Union-find over a cluster's records, with each group's size."""

    def __init__(self, members: list[str]) -> None:
        self.members = members
        self.parent = {member: member for member in members}
        self.sizes = dict.fromkeys(members, 1)

    def root(self, record: str) -> str:
        while self.parent[record] != record:
            self.parent[record] = self.parent[self.parent[record]]
            record = self.parent[record]
        return record

    def size(self, record: str) -> int:
        return self.sizes[self.root(record)]

    def union(self, left: str, right: str) -> None:
        a, b = self.root(left), self.root(right)
        if a != b:
            self.parent[b] = a
            self.sizes[a] += self.sizes.pop(b)

    def groups(self) -> list[list[str]]:
        found: dict[str, list[str]] = {}
        for member in self.members:
            found.setdefault(self.root(member), []).append(member)
        return list(found.values())


def _kept_apart(a: _Cluster, b: _Cluster, apart: Mapping[str, set[str]]) -> bool:
    if apart:
        others = set(b.members)
        if any(apart.get(member, set()) & others for member in a.members):
            return True
    return any(x.conflicts(y) for x in a.dated for y in b.dated)
