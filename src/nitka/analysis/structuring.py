"""Amounts just below a reporting threshold, and the flows between two parties over time.

- **Below a threshold** (structuring, smurfing): payments of at least
  ``threshold × (1 - margin)`` and below ``threshold`` (a bank reports from
  the threshold on), grouped by payer and payee; a pair is shown with at least
  ``min_payments`` of them (within ``within`` days of each other, if asked).
- **Between two parties**: the payments from A to B and from B to A, per day,
  ISO week or month, with their counts and sums per currency.

Both read the payments projection as far as the asker may see it
(``flows.visible``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from nitka.analysis.flows import Flow, visible
from nitka.ingest.transactions import account_key
from nitka.store.tables import analysis_payment

PERIODS = ("day", "week", "month")


@dataclass
class BelowThreshold:
    payer: str
    payee: str
    currency: str
    flow: Flow
    largest: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "payer": self.payer,
            "payee": self.payee,
            "currency": self.currency,
            "largest": round(self.largest, 2),
            **self.flow.as_dict(),
        }


@dataclass
class Period:
    """The payments of one period, each way."""

    period: str
    a_to_b: Flow = field(default_factory=Flow)
    b_to_a: Flow = field(default_factory=Flow)

    @property
    def ids(self) -> list[str]:
        return [*self.a_to_b.ids, *self.b_to_a.ids]

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "a_to_b": _way(self.a_to_b),
            "b_to_a": _way(self.b_to_a),
        }


def _way(flow: Flow) -> dict[str, Any]:
    shown = flow.as_dict()
    return {"payments": shown["payments"], "amounts": shown["amounts"]}


def below_threshold(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    threshold: Decimal,
    margin: Decimal = Decimal("0.1"),
    currency: str | None = None,
    min_payments: int = 2,
    within: int | None = None,
    limit: int = 1000,
) -> list[BelowThreshold]:
    """Payer and payee pairs with at least ``min_payments`` payments just below the
    threshold (of one currency, or each), the most such payments first."""
    if scopes is not None and not scopes:
        return []
    table = analysis_payment.c
    floor = threshold * (1 - margin)
    query = (
        select(table.id, table.payer, table.payee, table.amount, table.currency, table.at)
        .where(table.amount >= float(floor), table.amount < float(threshold))
        .order_by(table.payer, table.payee, table.currency, table.at, table.id)
    )
    if currency is not None:
        query = query.where(table.currency == currency)
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for row in conn.execute(visible(query, scopes)):
        groups[(row.payer, row.payee, row.currency)].append(row)
    found: list[BelowThreshold] = []
    for (payer, payee, code), rows in groups.items():
        chosen = rows if within is None else _busiest(rows, within)
        if len(chosen) < min_payments:
            continue
        item = BelowThreshold(payer, payee, code, Flow())
        for row in chosen:
            item.flow.add(row.id, float(row.amount), row.currency, row.at)
            item.largest = max(item.largest, float(row.amount))
        found.append(item)
    found.sort(key=lambda b: (-b.flow.payments, b.payer, b.payee, b.currency))
    return found[:limit]


def _busiest(rows: list[Any], days: int) -> list[Any]:
    """The most payments (in time order) within ``days`` days of each other."""
    span = timedelta(days=days)
    best: list[Any] = []
    first = 0
    for last in range(len(rows)):
        while rows[last].at - rows[first].at > span:
            first += 1
        if last + 1 - first > len(best):
            best = rows[first : last + 1]
    return best


def between(
    conn: Connection, scopes: Sequence[int] | None, a: str, b: str, *, by: str = "month"
) -> list[Period]:
    """The payments between ``a`` and ``b`` (accounts as written, or parties' entity ids),
    both ways, per period, the earliest first."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}")
    if scopes is not None and not scopes:
        return []
    table = analysis_payment.c
    side_a, side_b = _names(a), _names(b)
    query = select(table.id, table.payer, table.payee, table.amount, table.currency, table.at)
    query = query.where(
        or_(
            table.payer.in_(side_a) & table.payee.in_(side_b),
            table.payer.in_(side_b) & table.payee.in_(side_a),
        )
    ).order_by(table.at, table.id)
    periods: dict[str, Period] = {}
    for row in conn.execute(visible(query, scopes)):
        name = period_of(row.at, by)
        item = periods.setdefault(name, Period(name))
        way = item.a_to_b if row.payer in side_a else item.b_to_a
        way.add(row.id, float(row.amount), row.currency, row.at)
    return [periods[name] for name in sorted(periods)]


def same_party(a: str, b: str) -> bool:
    """Whether two sides as given name one account."""
    return bool(set(_names(a)) & set(_names(b)))


def _names(given: str) -> list[str]:
    """How a side may be kept: the account number as compared, or as given (an entity
    id of a party without an account)."""
    return sorted({given.strip(), account_key(given)} - {""})


def period_of(at: datetime, by: str) -> str:
    """``2024-03-05`` (day), ``2024-W10`` (ISO week), ``2024-03`` (month)."""
    if by == "day":
        return at.date().isoformat()
    if by == "week":
        year, week, _ = at.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{at.year}-{at.month:02d}"
