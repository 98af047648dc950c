"""Payments as the reasons tell them: sums per currency, and who pays an account."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.analysis.typologies.rows import CHUNK, PaymentRow
from nitka.store.tables import analysis_payment


def amounts(payments: Iterable[PaymentRow]) -> str:
    """``1,200.00 EUR, 300.00 UAH``: each currency summed on its own."""
    sums: dict[str, float] = defaultdict(float)
    for payment in payments:
        sums[payment.currency] += payment.amount
    return ", ".join(f"{total:,.2f} {currency}" for currency, total in sorted(sums.items()))


def sources_of(
    conn: Connection, scopes: Sequence[int] | None, accounts: Collection[str]
) -> dict[str, set[str]]:
    """Each account (entity id) with the different accounts that pay it, at any time."""
    if scopes is not None and not scopes:
        return {}
    table = analysis_payment.c
    found: dict[str, set[str]] = defaultdict(set)
    ordered = sorted(set(accounts))
    for start in range(0, len(ordered), CHUNK):
        query = (
            select(table.payee_entity, table.payer)
            .where(table.payee_entity.in_(ordered[start : start + CHUNK]))
            .distinct()
        )
        if scopes is not None:
            query = query.where(table.scope.in_(scopes))
        for payee, payer in conn.execute(query):
            found[payee].add(payer)
    return found
