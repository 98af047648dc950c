"""Layering shapes over the payments projection: money split and brought together again.

- **Scatter-gather**: one account (the *source*) pays several (the *middle*),
  who all pay one account (the *collector*): AMLSim's ``scatter_gather``. A
  middle account counts when it pays the collector after (or on the day) the
  source paid it: the money goes through.
- **Gather-scatter**: many accounts pay one (the *hub*), who pays many: AMLSim's
  ``gather_scatter``. A target counts when the hub pays it after (or on the
  day) its first payment in.
- **Bipartite**: a set of payers each paying every one of a set of payees
  (AMLSim's ``bipartite``). The sets are as large as they go: no payer could
  be added who pays them all, no payee whom they all pay.
- **Stacked**: bipartite sets stacked two or more deep, the payees of one layer
  the payers of the next (AMLSim's ``stack``).

The shapes are found on the graph of who paid whom (``flows.payment_graph``);
each answer's payments are those along its steps, as far as the asker may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from nitka.analysis.flows import Flow, add_payments, visible
from nitka.store.tables import analysis_payment

MAX_PAYERS = 1000
"""A payee paid by more accounts than this (a utility, a shop) is left out of the
search for bipartite sets: every pair of its payers would be looked at."""
MAX_LAYERS = 8
"""The deepest stack looked for (layers of accounts)."""
MAX_FOUND = 100_000
"""Shapes enumerated at most before the largest are chosen."""

Steps = dict[tuple[str, str], list[Flow]]
Span = tuple[datetime, datetime]


@dataclass
class ScatterGather:
    source: str
    middle: list[str]
    collector: str
    flow: Flow

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "middle": self.middle,
            "middle_count": len(self.middle),
            "collector": self.collector,
            **self.flow.as_dict(),
        }


@dataclass
class GatherScatter:
    hub: str
    sources: list[str]
    targets: list[str]
    flow: Flow

    def as_dict(self) -> dict[str, Any]:
        return {
            "hub": self.hub,
            "sources": self.sources,
            "targets": self.targets,
            **self.flow.as_dict(),
        }


@dataclass
class Bipartite:
    payers: list[str]
    payees: list[str]
    flow: Flow

    def as_dict(self) -> dict[str, Any]:
        return {"payers": self.payers, "payees": self.payees, **self.flow.as_dict()}


@dataclass
class Stacked:
    layers: list[list[str]]
    """From the first payers to the last payees; each layer pays every account of the next."""
    flow: Flow

    def as_dict(self) -> dict[str, Any]:
        return {"layers": self.layers, "depth": len(self.layers), **self.flow.as_dict()}


def timed_graph(conn: Connection, scopes: Sequence[int] | None) -> dict[tuple[str, str], Span]:
    """Each pair (payer, payee) that had a payment, with its first and last payment's time."""
    table = analysis_payment.c
    rows = conn.execute(
        visible(
            select(table.payer, table.payee, func.min(table.at), func.max(table.at))
            .where(table.payer != table.payee)
            .group_by(table.payer, table.payee),
            scopes,
        )
    )
    return {(payer, payee): (first, last) for payer, payee, first, last in rows}


def _sides(pairs: dict[tuple[str, str], Span]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The payees of each payer, and the payers of each payee."""
    out: dict[str, set[str]] = defaultdict(set)
    into: dict[str, set[str]] = defaultdict(set)
    for payer, payee in pairs:
        out[payer].add(payee)
        into[payee].add(payer)
    return out, into


def scatter_gather(
    conn: Connection, scopes: Sequence[int] | None, *, min_middle: int = 3, limit: int = 1000
) -> list[ScatterGather]:
    """Sources paying at least ``min_middle`` accounts that each pay one collector on,
    the widest first."""
    if scopes is not None and not scopes:
        return []
    pairs = timed_graph(conn, scopes)
    out, _ = _sides(pairs)
    found: list[ScatterGather] = []
    for source in sorted(out):
        through: dict[str, set[str]] = defaultdict(set)
        for middle in out[source]:
            paid_at = pairs[(source, middle)][0]
            for collector in out.get(middle, ()):
                if collector != source and pairs[(middle, collector)][1] >= paid_at:
                    through[collector].add(middle)
        for collector, between in sorted(through.items()):
            if len(between) >= min_middle:
                found.append(ScatterGather(source, sorted(between), collector, Flow()))
        if len(found) >= MAX_FOUND:
            break
    found.sort(key=lambda s: (-len(s.middle), s.source, s.collector))
    chosen = found[:limit]
    steps: Steps = defaultdict(list)
    for shape in chosen:
        for middle in shape.middle:
            steps[(shape.source, middle)].append(shape.flow)
            steps[(middle, shape.collector)].append(shape.flow)
    add_payments(conn, scopes, steps)
    return chosen


def gather_scatter(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    min_sources: int = 3,
    min_targets: int = 3,
    limit: int = 1000,
) -> list[GatherScatter]:
    """Hubs paid by at least ``min_sources`` accounts that pay at least ``min_targets``
    accounts on, the most accounts first."""
    if scopes is not None and not scopes:
        return []
    pairs = timed_graph(conn, scopes)
    out, into = _sides(pairs)
    found: list[GatherScatter] = []
    for hub in sorted(set(out) & set(into)):
        sources = into[hub]
        if len(sources) < min_sources or len(out[hub]) < min_targets:
            continue
        first_in = min(pairs[(source, hub)][0] for source in sources)
        targets = {target for target in out[hub] if pairs[(hub, target)][1] >= first_in}
        if len(targets) >= min_targets:
            found.append(GatherScatter(hub, sorted(sources), sorted(targets), Flow()))
    found.sort(key=lambda g: (-len(g.sources) - len(g.targets), g.hub))
    chosen = found[:limit]
    steps: Steps = defaultdict(list)
    for shape in chosen:
        for source in shape.sources:
            steps[(source, shape.hub)].append(shape.flow)
        for target in shape.targets:
            steps[(shape.hub, target)].append(shape.flow)
    add_payments(conn, scopes, steps)
    return chosen


def bipartite(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    min_payers: int = 2,
    min_payees: int = 2,
    limit: int = 1000,
) -> list[Bipartite]:
    """Sets of at least ``min_payers`` payers each paying every one of at least
    ``min_payees`` payees, the largest first."""
    if scopes is not None and not scopes:
        return []
    out, into = _sides(timed_graph(conn, scopes))
    found = [
        Bipartite(sorted(payers), sorted(payees), Flow())
        for payers, payees in _complete_sets(out, into, min_payers, min_payees)
    ]
    found.sort(key=lambda b: (-len(b.payers) * len(b.payees), b.payers, b.payees))
    chosen = found[:limit]
    steps: Steps = defaultdict(list)
    for shape in chosen:
        for payer in shape.payers:
            for payee in shape.payees:
                steps[(payer, payee)].append(shape.flow)
    add_payments(conn, scopes, steps)
    return chosen


def stacked(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    min_width: int = 2,
    min_layers: int = 3,
    limit: int = 1000,
) -> list[Stacked]:
    """Layers of at least ``min_width`` accounts, at least ``min_layers`` deep, each
    paying every account of the next: the deepest, then the widest first."""
    if not 3 <= min_layers <= MAX_LAYERS:
        raise ValueError(f"min_layers must be 3 to {MAX_LAYERS}")
    if scopes is not None and not scopes:
        return []
    out, into = _sides(timed_graph(conn, scopes))
    sets = list(_complete_sets(out, into, min_width, min_width))
    by_payer: dict[str, list[int]] = defaultdict(list)
    for number, (payers, _) in enumerate(sets):
        for payer in payers:
            by_payer[payer].append(number)
    found: dict[tuple[tuple[str, ...], ...], None] = {}
    for start, (payers, payees) in enumerate(sets):
        for layers in _stacks(sets, by_payer, start, [payers, payees], min_width):
            if len(layers) >= min_layers:
                found[tuple(tuple(sorted(layer)) for layer in layers)] = None
            if len(found) >= MAX_FOUND:
                break
    shapes = _outermost([[list(layer) for layer in layers] for layers in found])
    shapes.sort(key=lambda s: (-len(s), -sum(map(len, s)), s))
    chosen = [Stacked(layers, Flow()) for layers in shapes[:limit]]
    steps: Steps = defaultdict(list)
    for shape in chosen:
        for upper, lower in zip(shape.layers, shape.layers[1:], strict=False):
            for payer in upper:
                for payee in lower:
                    steps[(payer, payee)].append(shape.flow)
    add_payments(conn, scopes, steps)
    return chosen


def _complete_sets(
    out: dict[str, set[str]], into: dict[str, set[str]], min_payers: int, min_payees: int
) -> Iterator[tuple[frozenset[str], frozenset[str]]]:
    """Each largest set of payers all paying a largest set of payees, once: the payees
    two payers have in common, all who pay every one of them, and all whom those pay."""
    seen: set[frozenset[str]] = set()
    for payer in sorted(out):
        if len(out[payer]) < min_payees:
            continue
        shared: dict[str, int] = defaultdict(int)
        for payee in out[payer]:
            if len(into[payee]) > MAX_PAYERS:
                continue
            for other in into[payee]:
                if other > payer:
                    shared[other] += 1
        for other, count in sorted(shared.items()):
            if count < min_payees:
                continue
            payees = frozenset(out[payer] & out[other])
            if payees in seen:
                continue
            payers = frozenset.intersection(*(frozenset(into[p]) for p in payees))
            payees = frozenset.intersection(*(frozenset(out[p]) for p in payers))
            if payees in seen:
                continue
            seen.add(payees)
            if len(payers) >= min_payers and not payers & payees:
                yield payers, payees


def _stacks(
    sets: list[tuple[frozenset[str], frozenset[str]]],
    by_payer: dict[str, list[int]],
    last: int,
    layers: list[frozenset[str]],
    min_width: int,
) -> Iterator[list[frozenset[str]]]:
    """The stacks that go on from these layers (the last two of which are the set
    ``last``), the layers themselves included."""
    yield layers
    if len(layers) >= MAX_LAYERS:
        return
    used = frozenset().union(*layers[:-1])
    following = {n for payer in layers[-1] for n in by_payer.get(payer, ()) if n != last}
    for number in sorted(following):
        payers, payees = sets[number]
        middle = layers[-1] & payers
        if len(middle) < min_width or payees & used or payees & middle:
            continue
        yield from _stacks(sets, by_payer, number, [*layers[:-1], middle, payees], min_width)


def _outermost(shapes: list[list[list[str]]]) -> list[list[list[str]]]:
    """The stacks not inside a deeper one (all of whose accounts are in it)."""
    accounts = [frozenset(a for layer in s for a in layer) for s in shapes]
    return [
        shape
        for i, shape in enumerate(shapes)
        if not any(
            len(other) > len(shape) and accounts[i] <= accounts[j] for j, other in enumerate(shapes)
        )
    ]
