"""Bank transactions: real AMLSim alerts and accounts, the generic layout, bad rows by column."""

from collections.abc import Iterable
from pathlib import Path

import orjson
import pytest
from followthemoney import EntityProxy
from sqlalchemy import Engine

from nitka.errors import IngestError, RecordError
from nitka.ingest.base import Converted, ConverterOptions
from nitka.ingest.runner import OnError, ingest
from nitka.ingest.transactions import TransactionsConverter, account_key, parse_amount
from nitka.model.statement import Provenance
from nitka.store.reader import count_by_schema, count_statements, get_entity

AMLSIM = "amlsim_transactions"
GENERIC_HEADER = (
    "transaction_id,date,payer_name,payer_account,beneficiary_name,beneficiary_account,"
    "amount,currency"
)


def _alerts(shared_data: Path) -> Path:
    return shared_data / AMLSIM / "tigergraph_amlsim_alert_transactions.csv"


def _accounts(shared_data: Path) -> Path:
    return shared_data / AMLSIM / "tigergraph_amlsim_accounts.csv"


def _entities(items: Iterable[Converted]) -> list[EntityProxy]:
    entities = list(items)
    assert all(isinstance(e, EntityProxy) for e in entities)
    return entities  # type: ignore[return-value]


def _by_schema(entities: list[EntityProxy], schema: str) -> list[EntityProxy]:
    return [e for e in entities if e.schema.name == schema]


def _rows(tmp_path: Path, header: str, *rows: str) -> list[list[EntityProxy]]:
    """Convert every row of a small file."""
    path = tmp_path / "bank.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    converter = TransactionsConverter(str(path), "bank")
    return [_entities(converter.convert(record)) for _, record in converter.records()]


def test_the_first_amlsim_transaction(shared_data: Path) -> None:
    options = ConverterOptions(extra={"base_date": "2020-01-01"})
    converter = TransactionsConverter(str(_alerts(shared_data)), "aml", options)
    number, record = next(iter(converter.records()))
    payer, beneficiary, payment = _entities(converter.convert(record))
    assert number == 1 and converter.layout == "amlsim_transactions"
    assert payer.get("accountNumber") == ["6976"]
    assert beneficiary.get("accountNumber") == ["9739"]
    assert payer.id == converter.make_id("account", "6976")
    assert payment.get("amount") == ["4.85"]
    assert payment.get("currency") == ["USD"]  # AMLSim writes none; its accounts are in the US
    assert payment.get("date") == ["2020-01-01"]  # step 0 is the base date
    assert payment.get("transactionNumber") == ["82"]
    assert payment.get("purpose") == ["TRANSFER"]
    assert payment.get("payerAccount") == [payer.id]
    assert payment.get("beneficiaryAccount") == [beneficiary.id]
    assert payment.get("summary") == ["AMLSim alert 193 (fan_in), marked as fraud"]


def test_all_amlsim_transactions_with_the_default_base_date(shared_data: Path) -> None:
    converter = TransactionsConverter(str(_alerts(shared_data)), "aml")
    assert converter.count() == 1719
    payments = [
        _by_schema(_entities(converter.convert(record)), "Payment")[0]
        for _, record in converter.records()
    ]
    assert len(payments) == 1719 == len({p.id for p in payments})
    dates = sorted(d for p in payments for d in p.get("date"))
    # Steps 0 to 199 from AMLSim's default start, 2017-01-01.
    assert (dates[0], dates[-1]) == ("2017-01-01", "2017-07-19")


def test_the_first_amlsim_account_and_its_holder(shared_data: Path) -> None:
    converter = TransactionsConverter(str(_accounts(shared_data)), "aml")
    assert converter.count() == 10_000
    _, record = next(iter(converter.records()))
    account, holder, ownership = _entities(converter.convert(record))
    assert converter.layout == "amlsim_accounts"
    assert account.id == converter.make_id("account", "0")
    assert account.get("accountNumber") == ["0"]
    assert account.get("country") == ["us"]
    assert account.get("balance") == ["184.44"]
    assert account.get("summary") == ["AMLSim account, not marked as fraud"]
    assert holder.schema.name == "LegalEntity" and holder.get("name") == ["C_0"]
    assert ownership.get("owner") == [holder.id] and ownership.get("asset") == [account.id]


def test_the_generic_layout_links_holders_to_accounts(tmp_path: Path) -> None:
    ((*_, payment),) = entities = _rows(
        tmp_path,
        GENERIC_HEADER + ",purpose,payer_bank,payer_country,beneficiary_iban",
        "T1,01.03.2024,Олена Шевчук,4149 0000 0000 0001,Ivan Bondar,UA-ACC-2,300,eur,"
        "rent,PrivatBank,Ukraine,UA213223130000026007233566001",
    )
    holders = _by_schema(entities[0], "LegalEntity")
    accounts = _by_schema(entities[0], "BankAccount")
    assert {h.first("name") for h in holders} == {"Олена Шевчук", "Ivan Bondar"}
    assert len(_by_schema(entities[0], "Ownership")) == 2
    assert accounts[0].get("accountNumber") == ["4149 0000 0000 0001"]  # as given
    assert accounts[0].get("bankName") == ["PrivatBank"]
    assert accounts[0].get("country") == ["ua"]
    assert accounts[1].get("iban") == ["UA213223130000026007233566001"]
    assert payment.get("payer") == [holders[0].id]
    assert payment.get("beneficiary") == [holders[1].id]
    assert payment.get("payerAccount") == [accounts[0].id]
    assert payment.get("date") == ["2024-03-01"]
    assert payment.get("amount") == ["300"]
    assert payment.get("currency") == ["EUR"]
    assert payment.get("purpose") == ["rent"]
    assert payment.get("transactionNumber") == ["T1"]


def test_an_account_is_one_entity_however_its_number_is_spaced(tmp_path: Path) -> None:
    first, second, third = _rows(
        tmp_path,
        "date,payer_account,beneficiary_account,amount,payer_name",
        "2024-03-01,4149 0000 0000 0001,B,10,Ivan Bondar",
        "2024-03-02,4149-0000-0000-0001,B,10,IVAN  BONDAR",
        "2024-03-03,4149000000000001,B,10,Ivan Bondar",
    )
    assert first[0].id == second[0].id == third[0].id
    # The same holder name on the same account is one holder, however it is cased.
    assert first[1].id == second[1].id == third[1].id
    assert account_key("ua-21 3223/1300.0002") == "UA21322313000002"


def test_one_name_on_two_accounts_is_two_holders(tmp_path: Path) -> None:
    first, second = _rows(
        tmp_path,
        "date,payer_account,beneficiary_account,amount,payer_name",
        "2024-03-01,A1,B,10,Ivan Bondar",
        "2024-03-01,A2,B,10,Ivan Bondar",
    )
    assert first[1].get("name") == second[1].get("name")
    assert first[1].id != second[1].id


def test_identical_transfers_without_an_id_are_kept_apart(tmp_path: Path) -> None:
    rows = _rows(
        tmp_path,
        "date,payer_account,beneficiary_account,amount",
        "2024-03-01,A1,B1,500",
        "2024-03-01,A1,B1,500",
        "01.03.2024,A1,B1,500.00",
        "2024-03-01,A1,B1,500",
    )
    ids = [_by_schema(entities, "Payment")[0].id for entities in rows]
    assert len(set(ids)) == 4  # structuring: four equal transfers are four payments
    again = _rows(tmp_path, "date,payer_account,beneficiary_account,amount", "2024-03-01,A1,B1,500")
    assert _by_schema(again[0], "Payment")[0].id == ids[0]  # the first copy keeps its id


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("1,2024-03-01,A,B,lots", "amount"),
        ("1,2024-03-01,A,B,nan", "amount"),
        ('1,2024-03-01,A,B,"1,234"', "amount"),
        ("1,2024-03-01,A,B,", "amount"),
        ("1,2024-02-31,A,B,10", "date"),
        ("1,,A,B,10", "date"),
        ("1,2024-03-01,,B,10", "payer_account"),
        ("1,2024-03-01,A, ,10", "beneficiary_account"),
        ("1,2024-03-01,A,B,10,euro", "currency"),
        ("1,2024-03-01,A,B,10,EUR,Atlantis", "payer_country"),
    ],
)
def test_bad_transactions_name_the_column(tmp_path: Path, row: str, field: str) -> None:
    header = "transaction_id,date,payer_account,beneficiary_account,amount,currency,payer_country"
    with pytest.raises(RecordError) as caught:
        _rows(tmp_path, header, row)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("1,fan_in,True,82,6976,9739,TRANSFER,4.85,day 3", "TIMESTAMP"),
        ("1,fan_in,True,82,6976,9739,TRANSFER,4.85,-1", "TIMESTAMP"),
        ("1,fan_in,True,82,6976,9739,TRANSFER,lots,0", "TX_AMOUNT"),
        ("1,fan_in,maybe,82,6976,9739,TRANSFER,4.85,0", "IS_FRAUD"),
        ("1,fan_in,True,,6976,9739,TRANSFER,4.85,0", "TX_ID"),
        ("1,fan_in,True,82,,9739,TRANSFER,4.85,0", "SENDER_ACCOUNT_ID"),
    ],
)
def test_bad_amlsim_transactions_name_the_column(tmp_path: Path, row: str, field: str) -> None:
    header = (
        "ALERT_ID,ALERT_TYPE,IS_FRAUD,TX_ID,SENDER_ACCOUNT_ID,RECEIVER_ACCOUNT_ID,"
        "TX_TYPE,TX_AMOUNT,TIMESTAMP"
    )
    with pytest.raises(RecordError) as caught:
        _rows(tmp_path, header, row)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("4.85", "4.85"),
        ("1234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1.234.567", "1234567"),
        ("12,345,678.9", "12345678.9"),
        ("0,125", "0.125"),
        ("-20", "-20"),
    ],
)
def test_amounts_in_common_notations(raw: str, amount: str) -> None:
    assert parse_amount(raw, "amount") == amount


def test_the_currency_of_amlsim_amounts_may_be_given(shared_data: Path) -> None:
    options = ConverterOptions(extra={"currency": "eur"})
    converter = TransactionsConverter(str(_alerts(shared_data)), "aml", options)
    _, record = next(iter(converter.records()))
    *_, payment = _entities(converter.convert(record))
    assert payment.get("currency") == ["EUR"]
    bad = TransactionsConverter(
        str(_alerts(shared_data)), "aml", ConverterOptions(extra={"currency": "euro"})
    )
    with pytest.raises(IngestError, match="currency"):
        next(iter(bad.records()))


def test_a_bad_base_date_stops_before_anything_is_read(shared_data: Path) -> None:
    options = ConverterOptions(extra={"base_date": "01/01/2017"})
    converter = TransactionsConverter(str(_alerts(shared_data)), "aml", options)
    with pytest.raises(IngestError, match="base_date"):
        next(iter(converter.records()))


def test_an_unknown_layout_lists_the_layouts(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="not a known transactions layout") as caught:
        list(TransactionsConverter(str(path), "t").records())
    message = str(caught.value)
    assert "TX_ID" in message and "ACCOUNT_ID" in message and "payer_account" in message


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        list(TransactionsConverter(str(path), "t").records())


def test_a_rejected_row_is_filed_as_it_was_read(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_text(
        "date,payer_account,beneficiary_account,amount\n2024-03-01,A,B,10\n2024-03-01,A,B,x\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.jsonl"
    converter = TransactionsConverter(str(path), "bank")
    report = ingest(
        engine, converter, Provenance("bank"), on_error=OnError.REJECT, reject_path=str(rejects)
    )
    assert report.rejected == 1
    (line,) = rejects.read_bytes().splitlines()
    rejected = orjson.loads(line)
    assert (rejected["record"], rejected["field"]) == (2, "amount")
    assert rejected["data"] == {
        "date": "2024-03-01",
        "payer_account": "A",
        "beneficiary_account": "B",
        "amount": "x",
    }


def test_amlsim_accounts_and_transactions_join_on_the_account(
    engine: Engine, shared_data: Path
) -> None:
    accounts = TransactionsConverter(str(_accounts(shared_data)), "aml")
    payments = TransactionsConverter(str(_alerts(shared_data)), "aml")
    ingest(engine, accounts, Provenance("aml"))
    report = ingest(engine, payments, Provenance("aml"))
    assert report.records == 1719 and report.rejected == 0
    with engine.connect() as conn:
        counts = count_by_schema(conn)
        before = count_statements(conn)
        account = get_entity(conn, accounts.make_id("account", "6976"))
    # Transactions only name accounts the accounts file already has: no new BankAccounts.
    assert counts["BankAccount"] == 10_000 and counts["Payment"] == 1719
    assert counts["LegalEntity"] == 10_000 and counts["Ownership"] == 10_000
    assert account is not None and account.proxy().get("country") == ["us"]
    ingest(engine, TransactionsConverter(str(_alerts(shared_data)), "aml"), Provenance("aml"))
    with engine.connect() as conn:
        assert count_statements(conn) == before
        assert count_by_schema(conn) == counts
