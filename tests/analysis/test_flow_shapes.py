"""Fan-out, scatter-gather, gather-scatter, bipartite, stacked, amounts below a threshold
and the flows between two parties, on both databases: hand-made payments whose answers
can be checked by eye (``tests.analysis.records``: ``SHAPES``, ``STRUCTURING``), and the
AMLSim sample, whose answers the tests work out from the file itself."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from nitka.analysis.flows import fan_out
from nitka.analysis.layering import bipartite, gather_scatter, scatter_gather, stacked
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import catch_up
from nitka.analysis.structuring import below_threshold, between
from nitka.ingest.runner import ingest
from nitka.ingest.transactions import TransactionsConverter
from nitka.model.statement import Provenance
from tests.analysis.records import (
    AMLSIM_SAMPLE,
    ingest_amlsim_sample,
    store_shapes,
    store_structuring,
)


@pytest.fixture
def shapes(engine: Engine) -> Engine:
    store_shapes(engine)
    with engine.begin() as conn:
        catch_up(conn, PaymentsProjection())
    return engine


@pytest.fixture
def structuring(engine: Engine) -> Engine:
    store_structuring(engine)
    with engine.begin() as conn:
        catch_up(conn, PaymentsProjection())
    return engine


def test_fan_out(shapes: Engine) -> None:
    with shapes.connect() as conn:
        found = fan_out(conn, None)
        assert [f.source for f in fan_out(conn, None, min_targets=4)] == ["S"]
        (quick,) = [f for f in fan_out(conn, None, min_targets=2, within=5) if f.source == "F"]
        assert [f.source for f in fan_out(conn, None, min_targets=3, within=5)] == ["S", "H"]
    assert [(f.source, f.targets) for f in found] == [
        ("S", ["M1", "M2", "M3", "M4"]),
        ("F", ["T1", "T2", "T3"]),
        ("H", ["P1", "P2", "P3"]),
    ]
    assert found[1].flow.amounts == {"EUR": 30.0}
    # F's third payment is 19 days after the first: within five days it pays two.
    assert (quick.source, quick.targets, quick.flow.payments) == ("F", ["T1", "T2"], 2)


def test_scatter_gather_counts_a_middle_that_pays_on_after_being_paid(shapes: Engine) -> None:
    """M4 paid K before S paid M4: no money went through it."""
    with shapes.connect() as conn:
        (found,) = scatter_gather(conn, None)
        assert scatter_gather(conn, None, min_middle=4) == []
    assert (found.source, found.middle, found.collector) == ("S", ["M1", "M2", "M3"], "K")
    assert found.flow.payments == 6
    assert (found.flow.first, found.flow.last) == (datetime(2024, 3, 1), datetime(2024, 3, 3))


def test_gather_scatter(shapes: Engine) -> None:
    with shapes.connect() as conn:
        (found,) = gather_scatter(conn, None)
        assert gather_scatter(conn, None, min_sources=4) == []
        two = gather_scatter(conn, None, min_sources=2, min_targets=2)
    assert (found.hub, found.sources, found.targets) == (
        "H",
        ["G1", "G2", "G3"],
        ["P1", "P2", "P3"],
    )
    assert found.flow.payments == 6
    assert [g.hub for g in two] == ["H", "N1", "N2"]  # the stack's middle layer


def test_bipartite_sets_as_large_as_they_go(shapes: Engine) -> None:
    """B3 pays only Q1: not in the set; the stack's two layers are sets too."""
    with shapes.connect() as conn:
        found = bipartite(conn, None)
        assert bipartite(conn, None, min_payers=3) == []
    assert [(b.payers, b.payees) for b in found] == [
        (["B1", "B2"], ["Q1", "Q2"]),
        (["L1", "L2"], ["N1", "N2"]),
        (["N1", "N2"], ["R1", "R2"]),
    ]
    assert found[0].flow.payments == 4


def test_stacked(shapes: Engine) -> None:
    with shapes.connect() as conn:
        (found,) = stacked(conn, None)
        assert stacked(conn, None, min_layers=4) == []
        assert stacked(conn, None, min_width=3) == []
    assert found.layers == [["L1", "L2"], ["N1", "N2"], ["R1", "R2"]]
    assert found.flow.payments == 8 and found.flow.amounts == {"EUR": 80.0}


def test_below_threshold(structuring: Engine) -> None:
    """From 9,000 (the threshold less 10 %) up to but not including 10,000."""
    with structuring.connect() as conn:
        (eur,) = below_threshold(conn, None, threshold=Decimal(10_000), currency="EUR")
        every = below_threshold(conn, None, threshold=Decimal(10_000), min_payments=1)
        (near,) = below_threshold(conn, None, threshold=Decimal(10_000), within=5)
        wider = below_threshold(conn, None, threshold=Decimal(10_000), margin=Decimal("0.2"))
    assert (eur.payer, eur.payee, eur.currency, eur.flow.payments) == ("X", "Y", "EUR", 3)
    assert eur.largest == 9800.0 and eur.flow.amounts == {"EUR": 28_300.0}
    assert [(b.payer, b.payee, b.currency) for b in every] == [
        ("X", "Y", "EUR"),
        ("X", "Y", "UAH"),
        ("X", "Z", "EUR"),
    ]
    assert (near.flow.payments, near.flow.last) == (2, datetime(2024, 3, 3))
    assert wider[0].flow.payments == 4  # 8,999 is within 20 %


def test_between_both_ways_per_period(structuring: Engine) -> None:
    with structuring.connect() as conn:
        months = between(conn, None, "X", "Y")
        days = between(conn, None, "Y", "X", by="day")
        weeks = between(conn, None, "x", "y", by="week")
    assert [m.as_dict() for m in months] == [
        {
            "period": "2024-03",
            "a_to_b": {"payments": 6, "amounts": {"EUR": 47_299.0, "UAH": 9900.0}},
            "b_to_a": {"payments": 1, "amounts": {"EUR": 500.0}},
        },
        {
            "period": "2024-04",
            "a_to_b": {"payments": 0, "amounts": {}},
            "b_to_a": {"payments": 1, "amounts": {"EUR": 500.0}},
        },
    ]
    assert days[0].period == "2024-03-01" and days[-1].period == "2024-04-10"
    assert days[-1].a_to_b.payments == 1  # asked for Y and X: Y pays X
    assert weeks[0].period == "2024-W09" and len(weeks) == 4


def _sample() -> list[dict[str, str]]:
    with AMLSIM_SAMPLE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_amlsim_sample_mirrored_is_fan_out(engine: Engine, tmp_path: Path) -> None:
    """The sample with payer and payee swapped: each fan-in alert becomes a fan-out,
    its collector paying its sources (worked out from the file's rows here)."""
    rows = _sample()
    mirrored = tmp_path / "mirrored.csv"
    with mirrored.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=list(rows[0]))
        out.writeheader()
        for row in rows:
            sender, receiver = row["SENDER_ACCOUNT_ID"], row["RECEIVER_ACCOUNT_ID"]
            out.writerow({**row, "SENDER_ACCOUNT_ID": receiver, "RECEIVER_ACCOUNT_ID": sender})
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row["ALERT_TYPE"] == "fan_in":
            wanted[row["RECEIVER_ACCOUNT_ID"]].add(row["SENDER_ACCOUNT_ID"])
    ingest(engine, TransactionsConverter(str(mirrored), "amlsim"), Provenance("amlsim"))
    with engine.begin() as conn:
        catch_up(conn, PaymentsProjection())
        found = {f.source: set(f.targets) for f in fan_out(conn, None)}
        assert fan_out(conn, None, min_targets=5) == []
    assert found == wanted == {"9530": {"3033", "4769", "7703", "9999"},
                               "9739": {"1950", "4596", "6976"}}  # fmt: skip


def test_the_amlsim_sample_below_a_threshold_and_between(engine: Engine) -> None:
    """Alert 189's four payments of 2.74 are just below 3; cycle 377's step 2570 → 8542
    is one payment on day 6 (2017-01-07)."""
    rows = _sample()
    just_below = {
        (r["SENDER_ACCOUNT_ID"], r["RECEIVER_ACCOUNT_ID"])
        for r in rows
        if Decimal("2.7") <= Decimal(r["TX_AMOUNT"]) < 3
    }
    (step,) = [
        r for r in rows if (r["SENDER_ACCOUNT_ID"], r["RECEIVER_ACCOUNT_ID"]) == ("2570", "8542")
    ]
    ingest_amlsim_sample(engine)
    with engine.begin() as conn:
        catch_up(conn, PaymentsProjection())
        found = below_threshold(conn, None, threshold=Decimal(3), min_payments=1)
        (day,) = between(conn, None, "8542", "2570", by="day")
    assert {(b.payer, b.payee) for b in found} == just_below and len(just_below) == 4
    assert day.period == f"2017-01-{1 + int(step['TIMESTAMP']):02d}"
    assert (day.a_to_b.payments, day.b_to_a.payments) == (0, 1)
    assert day.b_to_a.amounts == {"USD": float(step["TX_AMOUNT"])}
