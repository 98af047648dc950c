"""Money-flow queries over the payments projection: fan-in and cycles.

- **Fan-in**: one account (the *collector*) receiving from many (the
  *sources*): victims' benefit cards paying into the recruiter's account, or
  AMLSim's ``fan_in`` typology.
- **Cycles**: money going round: accounts A → B → ... → A, each step a
  payment (AMLSim's ``cycle``). Cycles are found among the accounts that can
  reach each other at all (the strongly connected parts of the payment graph),
  each once, written from its smallest account.

Accounts are named as the projection keeps them (``payments``: the account
number as compared). Queries read only the rows whose scope the asker may see;
``None`` reads every row (a local operator).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
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
    collectors = _visible(
        select(table.payee).where(table.payer != table.payee).group_by(table.payee), scopes
    ).having(sources >= min_sources)
    ranked = collectors.order_by(sources.desc(), func.count().desc(), table.payee).limit(limit)
    chosen = list(conn.execute(ranked).scalars())
    found: dict[str, FanIn] = {c: FanIn(c, [], Flow()) for c in chosen}
    for start in range(0, len(chosen), CHUNK):
        rows = conn.execute(
            _visible(
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


def cycles(
    conn: Connection, scopes: Sequence[int] | None, *, max_length: int = 6, limit: int = 1000
) -> list[Cycle]:
    """Simple cycles of two to ``max_length`` accounts, the shortest first."""
    if not 2 <= max_length <= MAX_CYCLE_LENGTH:
        raise ValueError(f"max_length must be 2 to {MAX_CYCLE_LENGTH}")
    if scopes is not None and not scopes:
        return []
    table = analysis_payment.c
    pairs = conn.execute(
        _visible(
            select(table.payer, table.payee)
            .where(table.payer != table.payee)
            .group_by(table.payer, table.payee),
            scopes,
        )
    ).all()
    graph: dict[str, set[str]] = defaultdict(set)
    for payer, payee in pairs:
        graph[payer].add(payee)
    found: list[list[str]] = []
    for part in _strong_parts(graph):
        found.extend(islice(_cycles_in(graph, part, max_length), MAX_FOUND - len(found)))
        if len(found) >= MAX_FOUND:
            break
    found.sort(key=lambda c: (len(c), c))
    chosen = [Cycle(accounts, Flow()) for accounts in found[:limit]]
    _add_payments(conn, scopes, chosen)
    return chosen


def _add_payments(conn: Connection, scopes: Sequence[int] | None, chosen: list[Cycle]) -> None:
    """Each cycle's payments: those along its steps."""
    steps: dict[tuple[str, str], list[Cycle]] = defaultdict(list)
    for cycle in chosen:
        ring = cycle.accounts
        for i, payer in enumerate(ring):
            steps[(payer, ring[(i + 1) % len(ring)])].append(cycle)
    table = analysis_payment.c
    wanted = sorted(steps)
    for start in range(0, len(wanted), CHUNK):
        rows = conn.execute(
            _visible(
                select(table.id, table.payer, table.payee, table.amount, table.currency, table.at)
                .where(tuple_(table.payer, table.payee).in_(wanted[start : start + CHUNK]))
                .order_by(table.at, table.id),
                scopes,
            )
        )
        for payment_id, payer, payee, amount, currency, at in rows:
            for cycle in steps[(payer, payee)]:
                cycle.flow.add(payment_id, float(amount), currency, at)


def _visible(query: Select[Any], scopes: Sequence[int] | None) -> Select[Any]:
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
