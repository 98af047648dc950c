"""The projected rows the ready queries read, as the asker may see them (``scopes``:
None reads every row)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.engine import Connection

from nitka.store.tables import analysis_call, analysis_payment, analysis_trip

CHUNK = 500
PLACE = 60
"""Characters of a place named in a reason."""


@dataclass(frozen=True)
class TripRow:
    trip: str
    traveller: str
    start: datetime
    origin: str | None
    destination: str | None
    destination_country: str | None
    carrier: str | None

    @property
    def label(self) -> str:
        """``trip-1 (Odesa → Warsaw, 2024-05-01)``."""
        route = f"{(self.origin or '?')[:PLACE]} → {(self.destination or '?')[:PLACE]}"
        return f"{self.trip} ({route}, {self.start.date().isoformat()})"


@dataclass(frozen=True)
class PaymentRow:
    id: str
    payer: str
    payer_entity: str
    payee: str
    payee_entity: str
    amount: float
    currency: str
    at: datetime


@dataclass(frozen=True)
class CallRow:
    id: str
    caller: str
    callee: str
    start: datetime


def trips(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    organised: bool = False,
    countries: Collection[str] | None = None,
    travellers: Collection[str] | None = None,
) -> list[TripRow]:
    """Trip rows with a traveller: only those with an organiser (or vehicle) if
    ``organised``, to these destination countries (lower-case codes), of these
    travellers."""
    if scopes is not None and not scopes:
        return []
    table = analysis_trip.c
    query = select(
        table.id,
        table.traveller,
        table.start,
        table.origin,
        table.destination,
        table.destination_country,
        table.carrier,
    ).where(table.traveller != "")
    if organised:
        query = query.where(table.carrier.is_not(None))
    if countries is not None:
        query = query.where(table.destination_country.in_(sorted(countries)))
    if scopes is not None:
        query = query.where(table.scope.in_(scopes))
    query = query.order_by(table.start, table.id, table.traveller)
    if travellers is None:
        return [TripRow(*row) for row in conn.execute(query)]
    found = [TripRow(*row) for row in _chunked(conn, query, table.traveller, travellers)]
    return sorted(found, key=lambda t: (t.start, t.trip, t.traveller))


def payments(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    payers: Collection[str] | None = None,
    payees: Collection[str] | None = None,
) -> list[PaymentRow]:
    """Payments from these accounts or to these (entity ids), in time order."""
    if scopes is not None and not scopes:
        return []
    table = analysis_payment.c
    query = select(table.id, table.payer, table.payer_entity, table.payee, table.payee_entity,
                   table.amount, table.currency, table.at)  # fmt: skip
    if scopes is not None:
        query = query.where(table.scope.in_(scopes))
    if payers is not None:
        rows = list(_chunked(conn, query, table.payer_entity, payers))
    elif payees is not None:
        rows = list(_chunked(conn, query, table.payee_entity, payees))
    else:
        rows = list(conn.execute(query))
    found = [PaymentRow(*row) for row in rows]
    return sorted(found, key=lambda p: (p.at, p.id))


def calls(
    conn: Connection,
    scopes: Sequence[int] | None,
    *,
    callees: Collection[str],
) -> list[CallRow]:
    """Calls made to these numbers (as compared), in time order."""
    if scopes is not None and not scopes:
        return []
    table = analysis_call.c
    query = select(table.id, table.caller, table.callee, table.start)
    if scopes is not None:
        query = query.where(table.scope.in_(scopes))
    found = [CallRow(*row) for row in _chunked(conn, query, table.callee, callees)]
    return sorted(found, key=lambda c: (c.start, c.id))


def _chunked(
    conn: Connection, query: Select[Any], column: ColumnElement[str], values: Collection[str]
) -> Iterator[Any]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), CHUNK):
        yield from conn.execute(query.where(column.in_(ordered[start : start + CHUNK])))
