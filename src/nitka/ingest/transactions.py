"""Bank transactions as FtM ``Payment`` and ``BankAccount`` entities.

Three layouts, recognised by the header row:

- **AMLSim transactions** (IBM's anti-money-laundering simulator, as in its
  alert file): ``ALERT_ID,ALERT_TYPE,IS_FRAUD,TX_ID,SENDER_ACCOUNT_ID,
  RECEIVER_ACCOUNT_ID,TX_TYPE,TX_AMOUNT,TIMESTAMP``. AMLSim's ``TIMESTAMP``
  is a simulation step in days, not a date: it is counted from a base date,
  ``--option base_date=YYYY-MM-DD`` (default 2017-01-01, AMLSim's own start).
- **AMLSim accounts**: ``ACCOUNT_ID,CUSTOMER_ID,INIT_BALANCE,COUNTRY,
  ACCOUNT_TYPE,...``: each row a ``BankAccount`` and its holder.
- **generic layout** (documented in ``docs/ingest-formats.md``): required
  ``date,payer_account,beneficiary_account,amount``; optional
  ``transaction_id,payer_name,beneficiary_name,currency,purpose,payer_bank,
  payer_country,payer_iban,beneficiary_bank,beneficiary_country,beneficiary_iban``.

An account's id comes from its number (and bank, where given), so the same
account in two files of one dataset is one entity. A holder's name (or
AMLSim customer id) makes a ``LegalEntity`` linked to the account by an
``Ownership``: the shape that shows one organiser holding many victims' cards.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from followthemoney import EntityProxy, model

from nitka.ingest.base import Converted
from nitka.ingest.errors import IngestError, RecordError
from nitka.ingest.layouts import CsvLayoutConverter
from nitka.ingest.values import set_value

AMLSIM_BASE_DATE = "2017-01-01"

_REQUIRED = {
    "amlsim_transactions": ("TX_ID", "SENDER_ACCOUNT_ID", "RECEIVER_ACCOUNT_ID", "TX_AMOUNT",
                            "TIMESTAMP"),
    "amlsim_accounts": ("ACCOUNT_ID", "CUSTOMER_ID", "INIT_BALANCE", "COUNTRY"),
    "generic": ("date", "payer_account", "beneficiary_account", "amount"),
}  # fmt: skip


class TransactionsConverter(CsvLayoutConverter):
    layouts = _REQUIRED
    what = "transactions"
    kind = "transactions"

    def convert(self, record: Any) -> Iterable[Converted]:
        if self.layout == "amlsim_transactions":
            return self._amlsim_transaction(record)
        if self.layout == "amlsim_accounts":
            return self._amlsim_account(record)
        return self._generic(record)

    def _account(
        self, number: str, column: str, bank: str | None = None, country: str | None = None
    ) -> EntityProxy:
        number = number.strip()
        if not number:
            raise RecordError("an account number is required", field=column)
        account = model.make_entity("BankAccount")
        account.id = self.make_id("account", bank or "", number)
        set_value(account, "accountNumber", number, column, trusted=True)
        set_value(account, "bankName", bank, column)
        set_value(account, "country", country, column)
        return account

    def _holder(self, name: str, column: str, account: EntityProxy) -> list[EntityProxy]:
        holder = model.make_entity("LegalEntity")
        holder.id = self.make_id("holder", name)
        set_value(holder, "name", name, column)
        ownership = model.make_entity("Ownership")
        ownership.id = self.make_id("ownership", holder.id, account.id)
        ownership.add("owner", holder.id)
        ownership.add("asset", account.id)
        return [holder, ownership]

    def _amount(self, raw: str | None, column: str) -> str:
        text = (raw or "").strip().replace(",", ".")
        try:
            float(text)
        except ValueError:
            raise RecordError(f"{raw!r} is not an amount", field=column) from None
        return text

    def _amlsim_transaction(self, record: dict[str, str]) -> list[Converted]:
        payer = self._account(record["SENDER_ACCOUNT_ID"], "SENDER_ACCOUNT_ID")
        beneficiary = self._account(record["RECEIVER_ACCOUNT_ID"], "RECEIVER_ACCOUNT_ID")
        step = (record.get("TIMESTAMP") or "").strip()
        if not step.isdigit():
            raise RecordError(f"{step!r} is not an AMLSim step (whole days)", field="TIMESTAMP")
        base = self.options.extra.get("base_date", AMLSIM_BASE_DATE)
        try:
            day = date.fromisoformat(base) + timedelta(days=int(step))
        except ValueError:
            raise IngestError(f"base_date {base!r} is not a date (YYYY-MM-DD)") from None
        payment = model.make_entity("Payment")
        payment.id = self.make_id("payment", record["TX_ID"])
        payment.add("payerAccount", payer.id)
        payment.add("beneficiaryAccount", beneficiary.id)
        set_value(payment, "transactionNumber", record["TX_ID"], "TX_ID", trusted=True)
        set_value(payment, "amount", self._amount(record["TX_AMOUNT"], "TX_AMOUNT"), "TX_AMOUNT")
        set_value(payment, "date", day.isoformat(), "TIMESTAMP")
        set_value(payment, "purpose", record.get("TX_TYPE"), "TX_TYPE")
        alert = record.get("ALERT_ID")
        if alert:
            summary = f"AMLSim alert {alert} ({record.get('ALERT_TYPE', '')})"
            if (record.get("IS_FRAUD") or "").lower() == "true":
                summary += ", marked as fraud"
            set_value(payment, "summary", summary, "ALERT_ID")
        return [payer, beneficiary, payment]

    def _amlsim_account(self, record: dict[str, str]) -> list[Converted]:
        account = self._account(
            record["ACCOUNT_ID"], "ACCOUNT_ID", country=record.get("COUNTRY") or None
        )
        set_value(account, "balance", record.get("INIT_BALANCE"), "INIT_BALANCE")
        set_value(account, "accountType", record.get("ACCOUNT_TYPE"), "ACCOUNT_TYPE")
        entities: list[Converted] = [account]
        customer = (record.get("CUSTOMER_ID") or "").strip()
        if customer:
            entities.extend(self._holder(customer, "CUSTOMER_ID", account))
        return entities

    def _generic(self, record: dict[str, str]) -> list[Converted]:
        entities: list[Converted] = []
        sides = {}
        for side in ("payer", "beneficiary"):
            account = self._account(
                record.get(f"{side}_account") or "",
                f"{side}_account",
                bank=(record.get(f"{side}_bank") or "").strip() or None,
                country=(record.get(f"{side}_country") or "").strip() or None,
            )
            set_value(account, "iban", record.get(f"{side}_iban"), f"{side}_iban")
            entities.append(account)
            sides[side] = account
            name = (record.get(f"{side}_name") or "").strip()
            if name:
                holder, ownership = self._holder(name, f"{side}_name", account)
                entities.extend([holder, ownership])
                sides[f"{side}_holder"] = holder
        payment = model.make_entity("Payment")
        key = record.get("transaction_id") or "|".join(
            record.get(c, "") for c in ("date", "payer_account", "beneficiary_account", "amount")
        )
        payment.id = self.make_id("payment", key)
        for side in ("payer", "beneficiary"):
            if f"{side}_holder" in sides:
                payment.add(side, sides[f"{side}_holder"].id)
        payment.add("payerAccount", sides["payer"].id)
        payment.add("beneficiaryAccount", sides["beneficiary"].id)
        set_value(payment, "transactionNumber", record.get("transaction_id"), "transaction_id")
        set_value(payment, "date", record.get("date"), "date")
        set_value(payment, "amount", self._amount(record.get("amount"), "amount"), "amount")
        set_value(payment, "currency", record.get("currency"), "currency")
        set_value(payment, "purpose", record.get("purpose"), "purpose")
        entities.append(payment)
        return entities
