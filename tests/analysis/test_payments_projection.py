"""The payments projection, fan-in and cycles, on both databases: the real AMLSim
sample (tests/data/amlsim_alert_sample.csv), hand-made payments, bad values rejected
by name, and the projection kept current by the change sequence (an erased account's
payments leave it, a merge of two accounts joins their payments)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from nitka.access import retention
from nitka.analysis.flows import cycles, fan_in
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import catch_up, rejects_of
from nitka.resolve.merges import merge
from nitka.store.tables import analysis_payment
from tests.analysis.records import account, ingest_amlsim_sample, payment, raw_entity
from tests.helpers import store_entities


def _caught_up(engine: Engine) -> None:
    with engine.begin() as conn:
        catch_up(conn, PaymentsProjection())


def _fan_in(engine: Engine, min_sources: int = 3) -> list[tuple[str, list[str], int]]:
    _caught_up(engine)
    with engine.connect() as conn:
        found = fan_in(conn, None, min_sources=min_sources)
    return [(f.collector, f.sources, f.flow.payments) for f in found]


def test_amlsim_fan_ins(engine: Engine) -> None:
    """Alert 189: four accounts into 9530; alert 193: three into 9739."""
    ingest_amlsim_sample(engine)
    assert _fan_in(engine) == [
        ("9530", ["3033", "4769", "7703", "9999"], 4),
        ("9739", ["1950", "4596", "6976"], 3),
    ]
    assert [collector for collector, _, _ in _fan_in(engine, 4)] == ["9530"]
    with engine.connect() as conn:
        (found, _) = fan_in(conn, None, min_sources=3)
    assert found.flow.amounts == {"USD": 4 * 2.74}
    assert (found.flow.first, found.flow.last) == (datetime(2017, 1, 2), datetime(2017, 1, 8))


def test_the_amlsim_cycle(engine: Engine) -> None:
    """Alert 377 goes round five accounts; alert 222's two steps make no cycle."""
    ingest_amlsim_sample(engine)
    _caught_up(engine)
    with engine.connect() as conn:
        (found,) = cycles(conn, None, max_length=6)
        assert cycles(conn, None, max_length=4) == []
    assert found.accounts == ["1089", "7352", "5776", "2570", "8542"]
    assert found.flow.payments == 5
    assert round(found.flow.amounts["USD"], 2) == 51.35
    assert (found.flow.first, found.flow.last) == (datetime(2017, 1, 1), datetime(2017, 1, 10))


def test_cycles_of_two_and_three_shortest_first(engine: Engine) -> None:
    store_entities(
        engine,
        [
            *(account(f"acc-{n}", n) for n in ("X1", "X2", "Y1", "Y2", "Y3", "Z")),
            payment("p-1", "acc-X1", "acc-X2", "100"),
            payment("p-2", "acc-X2", "acc-X1", "90"),
            payment("p-3", "acc-Y2", "acc-Y3", "50"),
            payment("p-4", "acc-Y3", "acc-Y1", "50"),
            payment("p-5", "acc-Y1", "acc-Y2", "50"),
            payment("p-6", "acc-Y1", "acc-Z", "50"),  # leads out of the ring
        ],
    )
    _caught_up(engine)
    with engine.connect() as conn:
        found = cycles(conn, None, max_length=3)
        assert [c.accounts for c in cycles(conn, None, max_length=2)] == [["X1", "X2"]]
    assert [(c.accounts, c.flow.payments) for c in found] == [
        (["X1", "X2"], 2),
        (["Y1", "Y2", "Y3"], 3),
    ]
    assert found[0].flow.amounts == {"EUR": 190.0}


BAD_PAYMENTS = [
    (payment("negative", "acc-1", "acc-2", "-10"), "amount", "negative amount"),
    (payment("no-currency", "acc-1", "acc-2", "10", currency=""), "currency", "no currency"),
    (payment("not-money", "acc-1", "acc-2", "ten"), "amount", "not an amount"),
    (payment("bad-code", "acc-1", "acc-2", "10", currency="euro"), "currency", "ISO 4217"),
    (payment("bad-date", "acc-1", "acc-2", "10", date="2024-02-31"), "date", "not a date"),
    (payment("no-account", "acc-1", "acc-404", "10"), "beneficiaryAccount", "not in the store"),
    (
        raw_entity("Payment", "no-payer", beneficiaryAccount="acc-2", amount="5",
                   currency="EUR", date="2024-03-01"),
        "payerAccount",
        "no payer's account and no payer",
    ),
]  # fmt: skip


def test_bad_payments_are_rejected_by_name_and_the_rest_projected(engine: Engine) -> None:
    store_entities(
        engine,
        [
            account("acc-1", "UA 11 2222"),
            account("acc-2", "4149-0000-0000-0001"),
            payment("good", "acc-1", "acc-2", "1000", purpose="TRANSFER"),
            *(entity for entity, _, _ in BAD_PAYMENTS),
        ],
    )
    _caught_up(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(analysis_payment)).all()
        rejects = {r.entity_id: r for r in rejects_of(conn, "payments", None)}
    assert [(r.id, r.payer, r.payee, r.amount, r.currency, r.channel) for r in rows] == [
        ("good", "UA112222", "4149000000000001", 1000.0, "EUR", "TRANSFER")
    ]
    assert rows[0].payer_entity == "acc-1" and rows[0].at == datetime(2024, 3, 1)
    assert set(rejects) == {entity.id for entity, _, _ in BAD_PAYMENTS}
    for entity, field, reason in BAD_PAYMENTS:
        assert entity.id is not None
        assert rejects[entity.id].field == field, entity.id
        assert reason in rejects[entity.id].reason, entity.id
    assert rejects["negative"].value == "-10"


def test_an_erased_account_takes_its_payments_out(engine: Engine) -> None:
    ingest_amlsim_sample(engine)
    assert [c for c, _, _ in _fan_in(engine)] == ["9530", "9739"]
    with engine.connect() as conn:
        collector = conn.execute(
            select(analysis_payment.c.payee_entity).where(analysis_payment.c.payee == "9739")
        ).first()
    assert collector is not None
    with engine.begin() as conn:
        retention.erase(conn, collector.payee_entity)
    assert [c for c, _, _ in _fan_in(engine)] == ["9530"]
    with engine.connect() as conn:
        rejected = rejects_of(conn, "payments", None)
        shown = set(conn.execute(select(analysis_payment.c.payee)).scalars())
    assert len(rejected) == 3 and "9739" not in shown
    assert all("not in the store" in r.reason for r in rejected)


def test_a_merge_of_two_accounts_joins_their_payments(engine: Engine) -> None:
    """Two payers into one account of the collector, two into another: no fan-in of
    three until the analyst merges the two accounts (then known by the first number)."""
    store_entities(
        engine,
        [
            *(account(f"acc-{n}", n) for n in ("S1", "S2", "S3", "S4")),
            account("acc-C", "UA-777"),
            account("acc-C2", "UA-778"),
            payment("p-1", "acc-S1", "acc-C", "10"),
            payment("p-2", "acc-S2", "acc-C", "10"),
            payment("p-3", "acc-S3", "acc-C2", "10"),
            payment("p-4", "acc-S4", "acc-C2", "10"),
        ],
    )
    assert _fan_in(engine) == []
    with engine.begin() as conn:
        merge(conn, "acc-C", "acc-C2", "tester", "same account, two spellings")
    assert _fan_in(engine) == [("UA777", ["S1", "S2", "S3", "S4"], 4)]


def test_an_erased_accounts_payments_go_with_the_erasure(engine: Engine) -> None:
    store_entities(
        engine,
        [account("acc-1", "11"), account("acc-2", "22"), payment("p-1", "acc-1", "acc-2", "5")],
    )
    _caught_up(engine)
    with engine.begin() as conn:
        retention.erase(conn, "acc-1")
    with engine.connect() as conn:
        assert conn.execute(select(analysis_payment)).all() == []
    _caught_up(engine)
    with engine.connect() as conn:
        (reject,) = rejects_of(conn, "payments", None)
    assert (reject.entity_id, reject.field) == ("p-1", "payerAccount")


def test_a_payment_comes_in_when_its_account_does(engine: Engine) -> None:
    store_entities(engine, [account("acc-1", "11"), payment("p-1", "acc-1", "acc-2", "5")])
    _caught_up(engine)
    with engine.connect() as conn:
        (reject,) = rejects_of(conn, "payments", None)
    assert (reject.field, reject.value, reject.records) == (
        "beneficiaryAccount",
        "acc-2",
        ("test:1",),
    )
    store_entities(engine, [account("acc-2", "22")])
    _caught_up(engine)
    with engine.connect() as conn:
        assert rejects_of(conn, "payments", None) == []
        (row,) = conn.execute(select(analysis_payment)).all()
    assert (row.payer, row.payee, row.amount) == ("11", "22", 5.0)
