"""Money-flow queries over the payments projection: fan-in, fan-out and cycles.

- **Fan-in**: one account (the *collector*) receiving from many (the
  *sources*): victims' benefit cards paying into the recruiter's account, or
  AMLSim's ``fan_in`` typology.
- **Fan-out**: one account (the *source*) paying many (the *targets*), within a
  number of days if asked: a mule spreading a sum, AMLSim's ``fan_out``.
- **Cycles**: money going round: accounts A → B → ... → A, each step a
  payment (AMLSim's ``cycle``). Cycles are found among the accounts that can
  reach each other at all (the strongly connected parts of the payment graph),
  each once, written from its smallest account.

Accounts are named as the projection keeps them (``payments``: the account
number as compared). Queries read only the rows whose scope the asker may see;
``None`` reads every row (a local operator). The layering shapes (scatter-gather,
gather-scatter, bipartite, stacked) are in ``nitka.analysis.layering``, amounts
below a threshold and the flows between two parties in ``nitka.analysis.structuring``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.engine import Connection

from nitka.store.tables import analysis_payment

CHUNK = 500
MAX_CYCLE_LENGTH = 12
"""The longest cycle asked for: the number of cycles grows fast with the length."""
MAX_FOUND = 100_000
"""Cycles enumerated at most before the shortest are chosen: a dense graph has more
cycles than anyone could read."""


@dataclass
class Flow:
    """Payments between accounts: how many, how much in each currency, when."""

    payments: int = 0
    amounts: dict[str, float] = field(default_factory=dict)
    first: datetime | None = None
    last: datetime | None = None
    ids: list[str] = field(default_factory=list)
    """The payments (entity ids) behind the answer."""

    def add(self, payment_id: str, amount: float, currency: str, at: datetime) -> None:
        self.payments += 1
        self.amounts[currency] = self.amounts.get(currency, 0.0) + amount
        self.first = at if self.first is None else min(self.first, at)
        self.last = at if self.last is None else max(self.last, at)
        self.ids.append(payment_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "payments": self.payments,
            "amounts": {c: round(a, 2) for c, a in sorted(self.amounts.items())},
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }


@dataclass
class FanIn:
    collector: str
    sources: list[str]
    flow: Flow

    def as_dict(self) -> dict[str, Any]:
        return {
            "collector": self.collector,
            "sources": self.sources,
            "source_count": len(self.sources),
            **self.flow.as_dict(),
        }


@dataclass
class FanOut:
    source: str
    targets: list[str]
    flow: Flow

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "targets": self.targets,
            "target_count": len(self.targets),
            **self.flow.as_dict(),
        }


@dataclass
class Cycle:
    accounts: list[str]
    """In the order the money goes, from the smallest account; the last pays the first."""
    flow: Flow

    def as_dict(self) -> dict[str, Any]:
        return {"accounts": self.accounts, "length": len(self.accounts), **self.flow.as_dict()}


def fan_in(
    conn: Connection, scopes: Sequence[int] | None, *, min_sources: int = 3, limit: int = 1000
) -> list[FanIn]:
    """Accounts paid by at least ``min_sources`` different accounts, the most sources
    first (then the most payments)."""
    if scopes is not None and not scopes:
        return []
    table = analysis_payment.c
    sources = func.count(func.distinct(table.payer))
    collectors = visible(
        select(table.payee).where(table.payer != table.payee).group_by(table.payee), scopes
    ).having(sources >= min_sources)
    ranked = collectors.order_by(sources.desc(), func.count().desc(), table.payee).limit(limit)
    chosen = list(conn.execute(ranked).scalars())
    found: dict[str, FanIn] = {c: FanIn(c, [], Flow()) for c in chosen}
    for start in range(0, len(chosen), CHUNK):
        rows = conn.execute(
            visible(
                select(table.id, table.payer, table.payee, table.amount, table.currency, table.at)
                .where(table.payee.in_(chosen[start : start + CHUNK]))
                .where(table.payer != table.payee),
                scopes,
            )
        )
        for payment_id, payer, payee, amount, currency, at in rows:
            item = found[payee]
            item.flow.add(payment_id, float(amount), currency, at)
            if payer not in item.sources:
                item.sources.append(payer)
    for item in found.values():
        item.sources.sort()
    return [found[c] for c in chosen]


def fan_out(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    min_targets: int = 3,
    within: int | None = None,
    limit: int = 1000,
) -> list[FanOut]:
    """Accounts paying at least ``min_targets`` different accounts (within ``within``
    days of each other, if given: then the payments of the busiest such window), the
    most targets first (then the most payments)."""
    if scopes is not None and not scopes:
        return []
    table = analysis_payment.c
    targets = func.count(func.distinct(table.payee))
    spreaders = visible(
        select(table.payer).where(table.payer != table.payee).group_by(table.payer), scopes
    ).having(targets >= min_targets)
    candidates = list(conn.execute(spreaders.order_by(table.payer)).scalars())
    found: list[FanOut] = []
    for start in range(0, len(candidates), CHUNK):
        rows = conn.execute(
            visible(
                select(table.id, table.payer, table.payee, table.amount, table.currency, table.at)
                .where(table.payer.in_(candidates[start : start + CHUNK]))
                .where(table.payer != table.payee)
                .order_by(table.payer, table.at, table.id),
                scopes,
            )
        )
        by_source: dict[str, list[Paid]] = defaultdict(list)
        for payment_id, payer, payee, amount, currency, at in rows:
            by_source[payer].append(Paid(payment_id, payee, float(amount), currency, at))
        for source, paid in by_source.items():
            chosen = paid if within is None else busiest_window(paid, within)
            item = FanOut(source, sorted({p.other for p in chosen}), Flow())
            if len(item.targets) < min_targets:
                continue
            for p in chosen:
                item.flow.add(p.id, p.amount, p.currency, p.at)
            found.append(item)
    found.sort(key=lambda f: (-len(f.targets), -f.flow.payments, f.source))
    return found[:limit]


@dataclass(frozen=True)
class Paid:
    """One payment as seen from one side: the account on the other side."""

    id: str
    other: str
    amount: float
    currency: str
    at: datetime


def busiest_window(paid: Sequence[Paid], days: int) -> list[Paid]:
    """The payments (in time order) of the span of ``days`` days with the most different
    accounts on the other side (the earliest such span)."""
    span = timedelta(days=days)
    best: list[Paid] = []
    best_count = 0
    first = 0
    for last in range(len(paid)):
        while paid[last].at - paid[first].at > span:
            first += 1
        window = paid[first : last + 1]
        count = len({p.other for p in window})
        if count > best_count:
            best, best_count = list(window), count
    return best


def cycles(
    conn: Connection, scopes: Sequence[int] | None, *, max_length: int = 6, limit: int = 1000
) -> list[Cycle]:
    """Simple cycles of two to ``max_length`` accounts, the shortest first."""
    if not 2 <= max_length <= MAX_CYCLE_LENGTH:
        raise ValueError(f"max_length must be 2 to {MAX_CYCLE_LENGTH}")
    if scopes is not None and not scopes:
        return []
    graph = payment_graph(conn, scopes)
    found: list[list[str]] = []
    for part in _strong_parts(graph):
        found.extend(islice(_cycles_in(graph, part, max_length), MAX_FOUND - len(found)))
        if len(found) >= MAX_FOUND:
            break
    found.sort(key=lambda c: (len(c), c))
    chosen = [Cycle(accounts, Flow()) for accounts in found[:limit]]
    steps: dict[tuple[str, str], list[Flow]] = defaultdict(list)
    for cycle in chosen:
        ring = cycle.accounts
        for i, payer in enumerate(ring):
            steps[(payer, ring[(i + 1) % len(ring)])].append(cycle.flow)
    add_payments(conn, scopes, steps)
    return chosen


def payment_graph(conn: Connection, scopes: Sequence[int] | None) -> dict[str, set[str]]:
    """Who pays whom (an account to itself left out): the payees of each payer."""
    table = analysis_payment.c
    pairs = conn.execute(
        visible(
            select(table.payer, table.payee)
            .where(table.payer != table.payee)
            .group_by(table.payer, table.payee),
            scopes,
        )
    )
    graph: dict[str, set[str]] = defaultdict(set)
    for payer, payee in pairs:
        graph[payer].add(payee)
    return graph


def add_payments(
    conn: Connection, scopes: Sequence[int] | None, steps: dict[tuple[str, str], list[Flow]]
) -> None:
    """The payments of each step (payer, payee), added to the flows of the answers it
    belongs to."""
    table = analysis_payment.c
    wanted = sorted(steps)
    for start in range(0, len(wanted), CHUNK):
        rows = conn.execute(
            visible(
                select(table.id, table.payer, table.payee, table.amount, table.currency, table.at)
                .where(tuple_(table.payer, table.payee).in_(wanted[start : start + CHUNK]))
                .order_by(table.at, table.id),
                scopes,
            )
        )
        for payment_id, payer, payee, amount, currency, at in rows:
            for flow in steps[(payer, payee)]:
                flow.add(payment_id, float(amount), currency, at)


def visible(query: Select[Any], scopes: Sequence[int] | None) -> Select[Any]:
    """The query kept to the rows of these scopes (every row for ``None``)."""
    return query if scopes is None else query.where(analysis_payment.c.scope.in_(scopes))


def _strong_parts(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """The strongly connected parts of two or more accounts (Tarjan's algorithm, without
    recursion: a chain of a million payments must not exhaust the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                part: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1:
                    yield sorted(part)


def _cycles_in(
    graph: dict[str, set[str]], part: Iterable[str], max_length: int
) -> Iterator[list[str]]:
    """Each simple cycle of one strongly connected part once, from its smallest account:
    a depth-first walk from each account through larger ones only, no deeper than
    ``max_length``."""
    members = set(part)
    for start in sorted(members):
        path = [start]
        on_path = {start}
        work: list[Iterator[str]] = [iter(sorted(graph[start] & members))]
        while work:
            step = next(work[-1], None)
            if step is None:
                work.pop()
                on_path.discard(path.pop())
                continue
            if step == start:
                yield list(path)
            elif step > start and step not in on_path and len(path) < max_length:
                path.append(step)
                on_path.add(step)
                work.append(iter(sorted(graph.get(step, set()) & members)))
