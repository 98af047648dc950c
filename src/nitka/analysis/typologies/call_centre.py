"""Call-centre fraud: a few numbers call many people, who then pay into a few accounts.

The scheme as the seeds tell it (003: call centres in Moldova staffed by
trafficked workers defrauding citizens). A *payer* is an account that paid a
*collector*; the persons behind it are the account's owners (an
``Ownership``), or the payer itself when a payment names a party, and their
numbers are their ``phone``. A number *touched* a payer of an account when it
called them on the day of a payment of theirs into the account or up to
``within_days`` before. A *calling number* touched at least ``min_called``
payers of one account; a *collector* is an account at least ``min_called``
of whose payers calling numbers touched. Collectors
that share a calling number are one group, answered when its calling
numbers touched at least ``min_payers`` payers in all, and when it has at
most ``max_collectors`` collectors and ``max_numbers`` numbers: the query
looks for a few accounts and a few numbers, not for a bank's customers
calling its hotline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from nitka.analysis import ties
from nitka.analysis.ties import Seen
from nitka.analysis.typologies import rows
from nitka.analysis.typologies.found import PHONE, Findings, day, plural
from nitka.analysis.typologies.money import amounts
from nitka.analysis.typologies.params import at_least, option
from nitka.store.tables import analysis_payment

NAME = "call-centre"
SUMMARY = "A few numbers calling many people who then pay into a few accounts (call-centre fraud)."
LISTED = 10
"""Names listed in one reason; the rest are counted."""


@dataclass(frozen=True)
class Parameters:
    min_payers: int = option(5, "Payers called by a group's numbers before paying its "
                                "collectors, at least.")  # fmt: skip
    min_called: int = option(3, "Payers a calling number called, and a collector's payers "
                                "called, at least.")  # fmt: skip
    within_days: int = option(7, "The call is on the day of the payment or at most this "
                                 "many days before.")  # fmt: skip
    max_collectors: int = option(3, "Collectors sharing calling numbers, at most.")
    max_numbers: int = option(5, "Calling numbers of one group, at most.")

    def check(self) -> None:
        at_least(self.min_payers, 1, "min_payers")
        at_least(self.min_called, 1, "min_called")
        at_least(self.within_days, 0, "within_days")
        at_least(self.max_collectors, 1, "max_collectors")
        at_least(self.max_numbers, 1, "max_numbers")


@dataclass
class _Touch:
    """A number's call to a payer before a payment of theirs into a collector."""

    call: rows.CallRow
    payment: rows.PaymentRow


def find(
    conn: Connection, scopes: Sequence[int] | None, seen: Seen, params: Parameters
) -> Findings:
    found = Findings()
    collectors = _fan_in(conn, scopes, params.min_called)
    paid = rows.payments(conn, scopes, payees=collectors)
    payers = {p.payer_entity for p in paid}
    owners = ties.owners_of_accounts(conn, payers, seen)
    people = ties.persons(conn, payers | {o for os in owners.values() for o in os}, seen)
    phones: dict[str, set[str]] = defaultdict(set)
    for payer in payers:
        for person in owners.get(payer, {payer}):
            if person in people:
                phones[payer] |= people[person].phones
    by_number: dict[str, set[str]] = defaultdict(set)
    for payer, numbers in phones.items():
        for number in numbers:
            by_number[number].add(payer)
    calls_to: dict[str, list[rows.CallRow]] = defaultdict(list)
    for call in rows.calls(conn, scopes, callees=set(by_number)):
        for payer in by_number[call.callee]:
            if call.caller not in phones[payer]:
                calls_to[payer].append(call)
    window = timedelta(days=params.within_days)
    touches: dict[str, dict[str, dict[str, list[_Touch]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )  # collector → number → payer → touches
    for payment in paid:
        for call in calls_to.get(payment.payer_entity, ()):
            if payment.at - window <= call.start < payment.at + timedelta(days=1):
                touches[payment.payee_entity][call.caller][payment.payer_entity].append(
                    _Touch(call, payment)
                )
    calling = {
        number
        for by_caller in touches.values()
        for number, by_payer in by_caller.items()
        if len(by_payer) >= params.min_called
    }
    kept: dict[str, dict[str, dict[str, list[_Touch]]]] = {}
    for collector, by_caller in touches.items():
        enough = {n: ps for n, ps in by_caller.items() if n in calling}
        if len({p for ps in enough.values() for p in ps}) >= params.min_called:
            kept[collector] = enough
    for group in _groups(kept):
        callers = {n for c in group for n in kept[c]}
        payers_called = {p for c in group for ps in kept[c].values() for p in ps}
        if len(group) > params.max_collectors or len(callers) > params.max_numbers:
            continue
        if len(payers_called) >= params.min_payers:
            _explain(conn, found, seen, group, kept, paid, params)
    return found


def _fan_in(conn: Connection, scopes: Sequence[int] | None, least: int) -> set[str]:
    """Accounts (entity ids) paid by at least this many different accounts."""
    if scopes is not None and not scopes:
        return set()
    table = analysis_payment.c
    query = select(table.payee_entity).group_by(table.payee_entity)
    if scopes is not None:
        query = query.where(table.scope.in_(scopes))
    query = query.having(func.count(table.payer.distinct()) >= least)
    return set(conn.execute(query).scalars())


def _groups(kept: dict[str, dict[str, dict[str, list[_Touch]]]]) -> list[list[str]]:
    """Collectors that share a calling number, together (connected components)."""
    parent = {c: c for c in kept}

    def root(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    owner: dict[str, str] = {}
    for collector in sorted(kept):
        for number in kept[collector]:
            if number in owner:
                parent[root(collector)] = root(owner[number])
            else:
                owner[number] = collector
    groups: dict[str, list[str]] = defaultdict(list)
    for collector in sorted(kept):
        groups[root(collector)].append(collector)
    return sorted(groups.values())


def _explain(
    conn: Connection,
    found: Findings,
    seen: Seen,
    collectors: list[str],
    kept: dict[str, dict[str, dict[str, list[_Touch]]]],
    paid: list[rows.PaymentRow],
    params: Parameters,
) -> None:
    group = collectors[0]
    accounts = {p.payer_entity: p.payer for p in paid} | {p.payee_entity: p.payee for p in paid}

    def account(entity: str) -> str:
        number = accounts.get(entity, entity)
        return f"{number} ({entity})" if number != entity else entity

    for collector in collectors:
        into = [p for p in paid if p.payee_entity == collector]
        called = {p for ps in kept[collector].values() for p in ps}
        numbers = sorted(kept[collector])
        first, last = _span(p.at for p in into)
        found.add(group, collector, "collector",
                  f"paid by {plural(len({p.payer for p in into}), 'account')} "
                  f"({plural(len(into), 'payment')}, {amounts(into)}) from {first} to {last}; "
                  f"{len(called)} of them were called by {', '.join(numbers)} within "
                  f"{params.within_days} days before paying",
                  accounts.get(collector, ""))  # fmt: skip
        for number, by_payer in sorted(kept[collector].items()):
            listed = ", ".join(account(p) for p in sorted(by_payer)[:LISTED])
            more = f" and {len(by_payer) - LISTED} more" if len(by_payer) > LISTED else ""
            found.add(group, PHONE + number, "calling-number",
                      f"called {plural(len(by_payer), 'payer')} of the collector "
                      f"{account(collector)} within {params.within_days} days before they "
                      f"paid: {listed}{more}", number)  # fmt: skip
            for payer, touches in sorted(by_payer.items()):
                touch = touches[0]
                before = (touch.payment.at.date() - touch.call.start.date()).days
                found.add(group, payer, "payer",
                          f"called by {number} on {day(touch.call.start)}, then paid "
                          f"{amounts([touch.payment])} into the collector {account(collector)} "
                          f"on {day(touch.payment.at)} ({plural(before, 'day')} later)",
                          accounts.get(payer, ""))  # fmt: skip
                for item in touches:
                    found.behind.update((item.call.id, item.payment.id))


def _span(times: Iterable[datetime]) -> tuple[str, str]:
    moments = sorted(times)
    return day(moments[0]), day(moments[-1])
