"""The payments projection: one typed row per FtM ``Payment``, for the money-flow queries.

Transfers arrive as ``Payment`` entities naming the payer's and the payee's
``BankAccount`` (``nitka.ingest.transactions``; a card is an account too). A row
keeps:

- ``payer``, ``payee``: the account's number as compared (``account_key``: no
  spaces, dashes, dots or slashes, upper case; AMLSim's ``9739`` stays
  ``9739``), its IBAN when it has no number; a payment that names no account on
  a side but a party (``payer``, ``beneficiary``) has the party's entity id
  there. ``payer_entity`` and ``payee_entity`` are the entities they come from;
- ``amount``, ``currency`` (ISO 4217), ``at`` (in UTC; a bare day is midnight);
- ``channel``: the payment's ``purpose`` (AMLSim's ``TX_TYPE``: ``TRANSFER``).

The statements behind a row are the payment's and the account numbers it shows:
a viewer who may not see an account's number does not see the row. A payment
with an unreadable or negative amount, no currency, no time, or no account or
party on a side, or whose account is not in the store (erased, or not ingested
yet), is rejected, naming the property. When an account changes, the payments
that name it are projected again (``dependents``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import partial
from typing import Any

from sqlalchemy.engine import Connection

from nitka.analysis.links import canonical_ids, references_to
from nitka.analysis.projection import Entity, Projection, load_entities
from nitka.analysis.readings import Fact, RejectedError, amount, currency, facts_of, moment, one
from nitka.ingest.transactions import account_key
from nitka.store.tables import ID, analysis_payment

KIND = "payments"
SIDES = {"payer": ("payerAccount", "payer"), "payee": ("beneficiaryAccount", "beneficiary")}
"""Each side of a payment: the property naming its account, and the one naming its party."""
ACCOUNT_PROPS = ("accountNumber", "iban")


class PaymentsProjection(Projection):
    kind = KIND
    table = analysis_payment
    schema = "Payment"
    props = (
        "payerAccount", "beneficiaryAccount", "payer", "beneficiary",
        "amount", "currency", "date", "startDate", "purpose",
    )  # fmt: skip

    def __init__(self) -> None:
        self._canonical: dict[str, str] = {}
        self._accounts: dict[str, Entity] = {}

    def prepare(self, conn: Connection, entities: Sequence[Entity]) -> None:
        named = {
            fact.value
            for entity in entities
            for fact in entity.facts
            if fact.prop in ("payerAccount", "beneficiaryAccount", "payer", "beneficiary")
        }
        self._canonical = canonical_ids(conn, named)
        accounts = sorted(
            {
                self._canonical[fact.value]
                for entity in entities
                for fact in entity.facts
                if fact.prop in ("payerAccount", "beneficiaryAccount")
            }
        )
        self._accounts = {a.id: a for a in load_entities(conn, accounts, ACCOUNT_PROPS)}

    def dependents(self, conn: Connection, ids: Collection[str]) -> set[str]:
        sides = {prop for pair in SIDES.values() for prop in pair}
        return {
            ref.referrer
            for ref in references_to(conn, ids)
            if ref.schema == self.schema and ref.prop in sides
        }

    def row(self, entity: Entity) -> tuple[dict[str, Any], list[Fact]]:
        facts = entity.facts
        row: dict[str, Any] = {}
        behind: list[Fact] = []
        for side, (account_prop, party_prop) in SIDES.items():
            row[side], row[f"{side}_entity"], side_facts = self._side(
                facts, side, account_prop, party_prop
            )
            behind += side_facts
        amounts = facts_of(facts, "amount")
        row["amount"] = one(amounts, "amount", partial(amount, field="amount"), what="amount")
        currencies = facts_of(facts, "currency")
        row["currency"] = one(currencies, "currency", partial(currency, field="currency"),
                              what="currency")  # fmt: skip
        when = "date" if facts_of(facts, "date") else "startDate"
        times = facts_of(facts, when)
        row["at"] = one(times, when, partial(moment, field=when, needs_time=False),
                        what="date of the payment")  # fmt: skip
        purposes = facts_of(facts, "purpose")
        row["channel"] = "; ".join(sorted({f.value for f in purposes})) or None
        return row, [*behind, *amounts, *currencies, *times, *purposes]

    def _side(
        self, facts: list[Fact], side: str, account_prop: str, party_prop: str
    ) -> tuple[str, str, list[Fact]]:
        """The identifier of one side (an account's number, or the party's id), the
        entity it comes from, and the facts behind it."""
        resolve = self._canonical.get
        accounts = facts_of(facts, account_prop)
        if accounts:
            ref = one(accounts, account_prop, lambda v: resolve(v, v), what=f"{side}'s account")
            assert ref is not None
            account = self._accounts.get(ref)
            if account is None:
                why = f"the {side}'s account {ref} is not in the store"
                raise RejectedError(account_prop, ref, why)
            numbers = facts_of(account.facts, "accountNumber") or facts_of(account.facts, "iban")
            keys = sorted({account_key(f.value) for f in numbers} - {""})
            if not keys:
                raise RejectedError(account_prop, ref, f"the {side}'s account {ref} has no number")
            if len(keys[0]) > ID:
                why = f"the {side}'s account number is too long"
                raise RejectedError(account_prop, keys[0], why)
            return keys[0], ref, [*accounts, *numbers]
        parties = facts_of(facts, party_prop)
        party = one(parties, party_prop, lambda v: resolve(v, v), what=f"{side}", required=False)
        if party is None:
            raise RejectedError(account_prop, "", f"no {side}'s account and no {side}")
        return party, party, parties
