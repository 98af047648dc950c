from pathlib import Path

import pytest
from sqlalchemy import Engine

from nitka.ingest.base import ConverterOptions
from nitka.ingest.errors import IngestError, RecordError
from nitka.ingest.runner import ingest
from nitka.ingest.transactions import TransactionsConverter
from nitka.model.statement import Provenance
from nitka.store.reader import count_by_schema, get_entity

AMLSIM = "amlsim_transactions"


def test_an_amlsim_transaction(shared_data: Path) -> None:
    path = shared_data / AMLSIM / "tigergraph_amlsim_alert_transactions.csv"
    converter = TransactionsConverter(
        str(path), "aml", ConverterOptions(extra={"base_date": "2020-01-01"})
    )
    _, record = next(iter(converter.records()))
    payer, beneficiary, payment = converter.convert(record)
    assert payer.get("accountNumber") == ["6976"]  # type: ignore[union-attr]
    assert beneficiary.get("accountNumber") == ["9739"]  # type: ignore[union-attr]
    assert payment.get("amount") == ["4.85"]  # type: ignore[union-attr]
    assert payment.get("date") == ["2020-01-01"]  # type: ignore[union-attr]
    assert payment.get("payerAccount") == [payer.id]  # type: ignore[union-attr]
    assert "alert 193 (fan_in), marked as fraud" in payment.get("summary")[0]  # type: ignore[union-attr]


def test_the_generic_layout_links_holders_to_accounts(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_text(
        "transaction_id,date,payer_name,payer_account,beneficiary_name,beneficiary_account,"
        "amount,currency,beneficiary_iban\n"
        "T1,2024-03-01,Олена Шевчук,4149 0000 0000 0001,Ivan Bondar,UA-ACC-2,300,EUR,"
        "UA213223130000026007233566001\n",
        encoding="utf-8",
    )
    converter = TransactionsConverter(str(path), "bank")
    ((_, record),) = list(converter.records())
    entities = {e.schema.name + str(i): e for i, e in enumerate(converter.convert(record))}  # type: ignore[union-attr]
    payment = next(e for k, e in entities.items() if k.startswith("Payment"))
    holders = [e for k, e in entities.items() if k.startswith("LegalEntity")]
    assert {h.first("name") for h in holders} == {"Олена Шевчук", "Ivan Bondar"}  # type: ignore[union-attr]
    assert payment.get("currency") == ["EUR"]  # type: ignore[union-attr]
    assert len([k for k in entities if k.startswith("Ownership")]) == 2


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("1,2024-03-01,A,B,lots", "amount"),
        ("1,2024-02-31,A,B,10", "date"),
        ("1,2024-03-01,,B,10", "payer_account"),
    ],
)
def test_bad_transactions_name_the_column(tmp_path: Path, row: str, field: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        f"transaction_id,date,payer_account,beneficiary_account,amount\n{row}\n", encoding="utf-8"
    )
    converter = TransactionsConverter(str(path), "b")
    ((_, record),) = list(converter.records())
    with pytest.raises(RecordError) as caught:
        list(converter.convert(record))
    assert caught.value.field == field


def test_an_unknown_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="not a known transactions layout"):
        list(TransactionsConverter(str(path), "t").records())


def test_amlsim_accounts_and_transactions_join_on_the_account(
    engine: Engine, shared_data: Path
) -> None:
    accounts = TransactionsConverter(
        str(shared_data / AMLSIM / "tigergraph_amlsim_accounts.csv"), "aml"
    )
    payments = TransactionsConverter(
        str(shared_data / AMLSIM / "tigergraph_amlsim_alert_transactions.csv"), "aml"
    )
    ingest(engine, accounts, Provenance("aml"))
    report = ingest(engine, payments, Provenance("aml"))
    assert report.records == 1719
    with engine.connect() as conn:
        counts = count_by_schema(conn)
        account = get_entity(conn, accounts.make_id("account", "", "6976"))
    # Transactions only name accounts the accounts file already has: no new BankAccounts.
    assert counts["BankAccount"] == 10_000 and counts["Payment"] == 1719
    assert account is not None and account.proxy().get("country") == ["us"]
