"""Fan-out, the layering shapes, amounts below a threshold and the flows between two
parties as services (``nitka.services.analysis_queries``), on both databases:
need-to-know (a payment behind a statement of a case is seen only by its members),
audit records naming the payments, bad input named by its field, refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from nitka.access.actor import Actor
from nitka.errors import FieldError
from nitka.model.statement import Provenance
from nitka.services import analysis_queries as queries
from nitka.services.guard import RefusedError, transaction
from tests.analysis.records import account, payment, store_shapes, store_structuring
from tests.helpers import store_entities
from tests.services.people import (
    ANALYST,
    AUDITOR,
    INVESTIGATOR,
    OUTSIDER,
    cases_and_accounts,
    last_record,
)

CASE_ONLY = Provenance("npu", case="c1")


@pytest.fixture
def store(engine: Engine) -> Engine:
    """The hand-made shapes and structuring payments (no case); a case c1 adds a
    statement to the account P3 (so H's payment to P3 is the case's), and a payment of
    its own from X to Y."""
    cases_and_accounts(engine)
    store_shapes(engine)
    store_structuring(engine)
    store_entities(engine, [account("acc-P3", "P3")], CASE_ONLY)
    store_entities(
        engine, [payment("case-pay", "acc-X", "acc-Y", "9100", date="2024-03-02")], CASE_ONLY
    )
    return engine


def _ask(engine: Engine, query: Callable[..., list[Any]], actor: Actor, **given: Any) -> list[Any]:
    with transaction(engine) as conn:
        return query(conn, actor, **given)


def test_a_case_statement_hides_the_payment_outside_the_case(store: Engine) -> None:
    """H pays P1, P2 and P3; P3's number is also a statement of case c1: outside the
    case H pays two accounts, and gathers and scatters no more."""
    (member,) = _ask(store, queries.fan_out, ANALYST, min_targets=3, limit=3)[-1:]
    assert (member.source, member.targets) == ("H", ["P1", "P2", "P3"])
    outside = {f.source: f.targets for f in _ask(store, queries.fan_out, OUTSIDER)}
    assert "H" not in outside and set(outside) == {"S", "F"}
    assert [g.hub for g in _ask(store, queries.gather_scatter, INVESTIGATOR)] == ["H"]
    assert _ask(store, queries.gather_scatter, OUTSIDER) == []


def test_each_shape_as_a_service_with_its_audit_record(store: Engine) -> None:
    (sg,) = _ask(store, queries.scatter_gather, OUTSIDER)
    assert (sg.source, sg.collector) == ("S", "K")
    record = last_record(store)
    assert record["subject"] == {"flows": "scatter-gather", "min_middle": 3, "limit": 1000,
                                 "case": None}  # fmt: skip
    assert record["entities"] == sorted(sg.flow.ids) and record["result_size"] == 1
    pairs = [(b.payers, b.payees) for b in _ask(store, queries.bipartite, OUTSIDER)]
    assert (["B1", "B2"], ["Q1", "Q2"]) in pairs
    (stack,) = _ask(store, queries.stacked, OUTSIDER)
    assert stack.layers == [["L1", "L2"], ["N1", "N2"], ["R1", "R2"]]
    assert last_record(store)["entities"] == sorted(stack.flow.ids)


def test_below_threshold_and_between_under_need_to_know(store: Engine) -> None:
    (outside,) = _ask(store, queries.below_threshold, OUTSIDER, threshold="10000",
                      currency="eur")  # fmt: skip
    (inside,) = _ask(store, queries.below_threshold, ANALYST, threshold="10000")
    assert (outside.flow.payments, inside.flow.payments) == (3, 4)
    (case,) = _ask(store, queries.below_threshold, ANALYST, threshold="10000",
                   min_payments=1, case="c1")  # fmt: skip
    assert case.flow.ids == ["case-pay"]
    assert last_record(store)["entities"] == ["case-pay"]
    months = _ask(store, queries.between, OUTSIDER, a="X", b="Y")
    assert [m.a_to_b.payments for m in months] == [6, 0]
    assert _ask(store, queries.between, ANALYST, a="X", b="Y")[0].a_to_b.payments == 7


BAD = [
    (queries.below_threshold, {"threshold": "-5"}, "threshold", "negative"),
    (queries.below_threshold, {"threshold": "ten"}, "threshold", "not an amount"),
    (queries.below_threshold, {"threshold": "0"}, "threshold", "above zero"),
    (queries.below_threshold, {"threshold": "100", "margin": "1.5"}, "margin", "between 0"),
    (queries.below_threshold, {"threshold": "100", "currency": "XYZ"}, "currency", "ISO 4217"),
    (queries.below_threshold, {"threshold": "100", "within": -1}, "within", "days"),
    (queries.fan_out, {"min_targets": 1}, "min_targets", "at least 2"),
    (queries.scatter_gather, {"min_middle": 1}, "min_middle", "at least 2"),
    (queries.stacked, {"min_layers": 2}, "min_layers", "3 to"),
    (queries.between, {"a": "X", "b": "Y", "by": "year"}, "by", "day, week, month"),
    (queries.between, {"a": "UA-11", "b": "ua 11"}, "b", "one account"),
]


@pytest.mark.parametrize(("query", "given", "field", "says"), BAD, ids=lambda v: str(v)[:30])
def test_bad_input_is_named(
    store: Engine, query: Callable[..., list[Any]], given: dict[str, Any], field: str, says: str
) -> None:
    with pytest.raises(FieldError) as raised:
        _ask(store, query, ANALYST, **given)
    assert raised.value.field == field and says in raised.value.message


def test_an_auditor_is_refused_on_record(store: Engine) -> None:
    with pytest.raises(RefusedError):
        _ask(store, queries.between, AUDITOR, a="X", b="Y")
    assert last_record(store)["outcome"] == "refused"
