"""Bank transactions as FtM ``Payment``, ``BankAccount`` and account holders.

Why: trafficking is a business; the money moves from victims' and clients'
accounts to the organisers' through accounts opened in other people's names.
Banks and financial intelligence units hand transfers over as CSV; this
turns them into the money-flow graph.

Three layouts, recognised by the header row:

- **AMLSim transactions** (IBM's anti-money-laundering simulator, as in its
  alert file): ``ALERT_ID,ALERT_TYPE,IS_FRAUD,TX_ID,SENDER_ACCOUNT_ID,
  RECEIVER_ACCOUNT_ID,TX_TYPE,TX_AMOUNT,TIMESTAMP``. ``TIMESTAMP`` is a
  simulation step in days, not a date: the payment's date is a base date plus
  the step, ``--option base_date=YYYY-MM-DD`` (default 2017-01-01, the start
  date in AMLSim's own configuration). AMLSim writes no currency: the payment's
  is ``--option currency=CODE`` (default USD; its accounts are in the US). The
  alert goes into the payment's ``summary`` as ``AMLSim alert <ALERT_ID>
  (<ALERT_TYPE>), marked as fraud`` (or ``not marked as fraud``); ``TX_TYPE`` is
  the ``purpose``.
- **AMLSim accounts**: ``ACCOUNT_ID,CUSTOMER_ID,INIT_BALANCE,COUNTRY,
  ACCOUNT_TYPE,IS_FRAUD,TX_BEHAVIOR_ID``: each row a ``BankAccount``
  (``balance`` = the initial balance, ``summary`` ``AMLSim account marked as
  fraud`` or ``... not marked as fraud``) and its holder, a ``LegalEntity``
  named by the customer id. ``TX_BEHAVIOR_ID`` (a simulator parameter) is
  not kept.
- **generic layout** (documented in ``docs/ingest-formats.md``): required
  ``date,payer_account,beneficiary_account,amount``; optional
  ``transaction_id,payer_name,beneficiary_name,currency,purpose,payer_bank,
  payer_country,payer_iban,beneficiary_bank,beneficiary_country,beneficiary_iban``.

Ids. An account's id comes from its number with spaces, dashes, dots and
slashes removed, in upper case (and the bank, where given), so the same
account in two files of one dataset is one entity. A holder is keyed by the
account and the name: two people with one name on different accounts stay
two entities until an analyst merges them. A payment is keyed by its
transaction id (and payer account); without one, by its content, and the
n-th identical row of a file gets its number, so that repeated equal
transfers (structuring) are not collapsed into one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from followthemoney import EntityProxy, model

from nitka.errors import IngestError, RecordError
from nitka.ingest.base import Converted
from nitka.ingest.layouts import CsvLayoutConverter
from nitka.ingest.values import set_value
from nitka.normalise.dates import normalise_date

AMLSIM_BASE_DATE = "2017-01-01"
"""Day 0 of an AMLSim run unless ``base_date`` is given (AMLSim's default)."""
AMLSIM_CURRENCY = "USD"
"""The currency of AMLSim's amounts unless ``currency`` is given: AMLSim writes none,
and its simulated accounts are in the US (``COUNTRY`` US)."""

_REQUIRED = {
    "amlsim_transactions": ("TX_ID", "SENDER_ACCOUNT_ID", "RECEIVER_ACCOUNT_ID", "TX_AMOUNT",
                            "TIMESTAMP"),
    "amlsim_accounts": ("ACCOUNT_ID", "CUSTOMER_ID", "INIT_BALANCE", "COUNTRY"),
    "generic": ("date", "payer_account", "beneficiary_account", "amount"),
}  # fmt: skip

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_ACCOUNT_NOISE = re.compile(r"[\s\-./]+")
_PLAIN = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_GROUPED_DOT = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_GROUPED_COMMA = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")
_ZERO_COMMA = re.compile(r"[+-]?0,[0-9]+")
_CURRENCY = re.compile(r"[A-Za-z]{3}|[0-9]{3}")
_STEP = re.compile(r"[0-9]+")
_BOOL = {"true": True, "false": False}


class Row(dict[str, str]):
    """A CSV row, and which identical copy of it in the file it is (from 1)."""

    occurrence: int = 1


def account_key(number: str) -> str:
    """An account number as compared: no spaces, dashes, dots or slashes, upper case."""
    return _ACCOUNT_NOISE.sub("", number).upper()


def parse_amount(raw: str, column: str) -> str:
    """An amount as a plain decimal (``1234.56``), or a RecordError on ``column``.

    Accepted: ``1234.56``, ``1234,56``, grouped ``1,234.56`` or ``1.234,56``,
    spaces as group separators (``1 234,56``). A dot alone is a decimal point
    (``1.234`` is one and a bit). A lone comma before exactly three digits
    (``1,234``) could be a thousands separator or a decimal comma, so it is
    refused rather than guessed.
    """
    text = _SPACES.sub("", raw)
    if _PLAIN.fullmatch(text):
        return text
    if _GROUPED_DOT.fullmatch(text) and not _ZERO_COMMA.fullmatch(text):
        if "." not in text and text.count(",") == 1:
            raise RecordError(
                f"{raw!r} is ambiguous (a thousands separator or a decimal comma?): "
                "write 1234 or 1.234",
                field=column,
            )
        return text.replace(",", "")
    if _GROUPED_COMMA.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    if _DECIMAL_COMMA.fullmatch(text):
        return text.replace(",", ".")
    raise RecordError(f"{raw!r} is not an amount", field=column)


class TransactionsConverter(CsvLayoutConverter):
    """Bank transaction and account CSV files to the money-flow graph."""

    layouts = _REQUIRED
    what = "transactions"
    kind = "transactions"

    def records(self) -> Iterator[tuple[int, Any]]:
        self._base_date()
        self._currency()
        seen: Counter[tuple[str, ...]] = Counter()
        for number, record in super().records():
            if self.layout == "generic" and isinstance(record, dict):
                row = Row(record)
                if not _cell(row, "transaction_id"):
                    key = _content_key(row)
                    seen[key] += 1
                    row.occurrence = seen[key]
                record = row
            yield number, record

    def convert(self, record: Any) -> Iterable[Converted]:
        if self.layout == "amlsim_transactions":
            return self._amlsim_transaction(record)
        if self.layout == "amlsim_accounts":
            return self._amlsim_account(record)
        return self._generic(record)

    def _base_date(self) -> date:
        base = self.options.extra.get("base_date", AMLSIM_BASE_DATE)
        try:
            return date.fromisoformat(base)
        except ValueError:
            raise IngestError(f"base_date {base!r} is not a date (YYYY-MM-DD)") from None

    def _currency(self) -> str:
        code = self.options.extra.get("currency", AMLSIM_CURRENCY).strip().upper()
        if not _CURRENCY.fullmatch(code):
            raise IngestError(f"currency {code!r} is not an ISO 4217 currency code")
        return code

    def _account(self, record: dict[str, str], column: str, side: str = "") -> EntityProxy:
        number = _cell(record, column)
        if not account_key(number):
            raise RecordError("an account number is required", field=column)
        bank = _SPACES.sub(" ", _cell(record, f"{side}_bank")) if side else ""
        account = model.make_entity("BankAccount")
        if bank:
            account.id = self.make_id("account", account_key(number), bank.casefold())
        else:
            account.id = self.make_id("account", account_key(number))
        set_value(account, "accountNumber", number, column, trusted=True)
        if side:
            set_value(account, "bankName", bank, f"{side}_bank")
            set_value(account, "country", _cell(record, f"{side}_country"), f"{side}_country")
            set_value(account, "iban", _cell(record, f"{side}_iban"), f"{side}_iban")
        return account

    def _holder(
        self, holder_id: str, name: str, column: str, account: EntityProxy
    ) -> list[EntityProxy]:
        holder = model.make_entity("LegalEntity")
        holder.id = holder_id
        set_value(holder, "name", name, column)
        ownership = model.make_entity("Ownership")
        ownership.id = self.make_id("ownership", holder.id, account.id)
        ownership.add("owner", holder.id)
        ownership.add("asset", account.id)
        return [holder, ownership]

    def _amlsim_transaction(self, record: dict[str, str]) -> list[Converted]:
        tx_id = _cell(record, "TX_ID")
        if not tx_id:
            raise RecordError("a transaction id is required", field="TX_ID")
        payer = self._account(record, "SENDER_ACCOUNT_ID")
        beneficiary = self._account(record, "RECEIVER_ACCOUNT_ID")
        step = _cell(record, "TIMESTAMP")
        if not _STEP.fullmatch(step):
            raise RecordError(f"{step!r} is not an AMLSim step (whole days)", field="TIMESTAMP")
        day = self._base_date() + timedelta(days=int(step))
        payment = model.make_entity("Payment")
        payment.id = self.make_id("payment", tx_id)
        payment.add("payerAccount", payer.id)
        payment.add("beneficiaryAccount", beneficiary.id)
        set_value(payment, "transactionNumber", tx_id, "TX_ID", trusted=True)
        amount = parse_amount(_cell(record, "TX_AMOUNT"), "TX_AMOUNT")
        set_value(payment, "amount", amount, "TX_AMOUNT")
        set_value(payment, "currency", self._currency(), "currency")
        set_value(payment, "date", day.isoformat(), "TIMESTAMP")
        set_value(payment, "purpose", _cell(record, "TX_TYPE"), "TX_TYPE")
        alert = _cell(record, "ALERT_ID")
        if alert:
            summary = f"AMLSim alert {alert}"
            alert_type = _cell(record, "ALERT_TYPE")
            if alert_type:
                summary += f" ({alert_type})"
            set_value(payment, "summary", summary + _fraud(record), "ALERT_ID")
        return [payer, beneficiary, payment]

    def _amlsim_account(self, record: dict[str, str]) -> list[Converted]:
        account = self._account(record, "ACCOUNT_ID")
        set_value(account, "country", _cell(record, "COUNTRY"), "COUNTRY")
        balance = _cell(record, "INIT_BALANCE")
        if balance:
            set_value(account, "balance", parse_amount(balance, "INIT_BALANCE"), "INIT_BALANCE")
        set_value(account, "accountType", _cell(record, "ACCOUNT_TYPE"), "ACCOUNT_TYPE")
        fraud = _fraud(record)
        if fraud:
            set_value(account, "summary", "AMLSim account" + fraud, "IS_FRAUD")
        entities: list[Converted] = [account]
        customer = _cell(record, "CUSTOMER_ID")
        if customer:
            holder_id = self.make_id("customer", customer)
            entities.extend(self._holder(holder_id, customer, "CUSTOMER_ID", account))
        return entities

    def _generic(self, record: dict[str, str]) -> list[Converted]:
        entities: list[Converted] = []
        accounts: dict[str, EntityProxy] = {}
        holders: dict[str, EntityProxy] = {}
        for side in ("payer", "beneficiary"):
            account = self._account(record, f"{side}_account", side)
            accounts[side] = account
            entities.append(account)
            name = _SPACES.sub(" ", _cell(record, f"{side}_name"))
            if name:
                holder_id = self.make_id("holder", account.id, name.casefold())
                holder, ownership = self._holder(holder_id, name, f"{side}_name", account)
                holders[side] = holder
                entities.extend([holder, ownership])
        payment = model.make_entity("Payment")
        tx_id = _cell(record, "transaction_id")
        if tx_id:
            payment.id = self.make_id("payment", account_key(_cell(record, "payer_account")), tx_id)
        else:
            occurrence = record.occurrence if isinstance(record, Row) else 1
            extra = [str(occurrence)] if occurrence > 1 else []
            payment.id = self.make_id("payment", *_content_key(record), *extra)
        for side, holder in holders.items():
            payment.add(side, holder.id)
        payment.add("payerAccount", accounts["payer"].id)
        payment.add("beneficiaryAccount", accounts["beneficiary"].id)
        set_value(payment, "transactionNumber", tx_id, "transaction_id", trusted=True)
        if not _cell(record, "date"):
            raise RecordError("a date is required", field="date")
        set_value(payment, "date", _cell(record, "date"), "date")
        set_value(payment, "amount", parse_amount(_cell(record, "amount"), "amount"), "amount")
        currency = _cell(record, "currency")
        if currency and not _CURRENCY.fullmatch(currency):
            raise RecordError(f"{currency!r} is not an ISO 4217 currency code", field="currency")
        set_value(payment, "currency", currency.upper(), "currency")
        set_value(payment, "purpose", _cell(record, "purpose"), "purpose")
        entities.append(payment)
        return entities


def _cell(record: dict[str, str], column: str) -> str:
    return (record.get(column) or "").strip()


def _fraud(record: dict[str, str]) -> str:
    """``, marked as fraud`` or ``, not marked as fraud`` from AMLSim's IS_FRAUD."""
    raw = _cell(record, "IS_FRAUD")
    if not raw:
        return ""
    if raw.lower() not in _BOOL:
        raise RecordError(f"{raw!r} is not true or false", field="IS_FRAUD")
    return ", marked as fraud" if _BOOL[raw.lower()] else ", not marked as fraud"


def _content_key(record: dict[str, str]) -> tuple[str, ...]:
    """What identifies a transfer that has no transaction id."""
    raw_date = _cell(record, "date")
    raw_amount = _cell(record, "amount")
    try:
        amount = parse_amount(raw_amount, "amount")
    except RecordError:
        amount = raw_amount
    return (
        normalise_date(raw_date) or raw_date,
        account_key(_cell(record, "payer_account")),
        account_key(_cell(record, "beneficiary_account")),
        amount,
        _cell(record, "currency").upper(),
    )
