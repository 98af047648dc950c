"""The call-record and money-flow queries as services (``nitka.services.analysis_queries``),
on both databases: need-to-know on projected rows (a row is seen only by who may see
every statement behind it), cases, refusals on record, and audit records naming the
calls and payments behind each answer."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from nitka.access.actor import Actor
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.services import analysis_queries as queries
from nitka.services.guard import NotFoundError, RefusedError, transaction
from tests.analysis.records import A, B, C, account, call, payment, raw_entity, store_calls
from tests.helpers import store_entities
from tests.services.people import (
    ADMINISTRATOR,
    ANALYST,
    AUDITOR,
    INVESTIGATOR,
    NO_CASE_DATA,
    OUTSIDER,
    cases_and_accounts,
    last_record,
)

HIDDEN = "+359 2 999"
"""A number in contact with A and B in case c1 only."""
CASE_ONLY = Provenance("npu", case="c1")


@pytest.fixture
def calls(engine: Engine) -> Engine:
    """The hand-made calls (no case), two more in case c1, cases c1 and c2 and their
    accounts (``tests.services.people``)."""
    cases_and_accounts(engine)
    store_calls(engine)
    store_entities(
        engine,
        [
            call("c-9", A, HIDDEN, "2024-03-04T10:00:00"),
            call("c-10", HIDDEN, B, "2024-03-04T11:00:00"),
        ],
        CASE_ONLY,
    )
    return engine


def _common(engine: Engine, actor: Actor, *numbers: str, case: str | None = None) -> list[str]:
    with transaction(engine) as conn:
        found = queries.common_contacts(conn, actor, numbers, case=case)
    return [c.number for c in found]


def test_a_case_call_is_seen_only_by_the_cases_members(calls: Engine) -> None:
    for member in (ANALYST, INVESTIGATOR):
        assert _common(calls, member, A, B) == [C, "+3592999"]
    assert _common(calls, OUTSIDER, A, B) == [C]


def test_a_restricted_statement_hides_the_whole_call(calls: Engine) -> None:
    """A case adds the handset to a call everyone could see: outside the case the call
    is gone (C then has no call with A), inside it is there with its IMEI."""
    store_entities(calls, [raw_entity("Call", "c-1", description="IMEI: 356938035643809")],
                   CASE_ONLY)  # fmt: skip
    assert _common(calls, OUTSIDER, A, B) == []
    assert _common(calls, ANALYST, A, B) == [C, "+3592999"]


def test_a_call_about_a_victim_is_seen_only_by_investigators(calls: Engine) -> None:
    victim = Provenance("npu", case="c1", category=DataSubjectCategory.VICTIM)
    store_entities(
        calls,
        [call("c-11", A, "+48 600 000 000", "2024-03-05T10:00:00"),
         call("c-12", B, "+48 600 000 000", "2024-03-05T11:00:00")],
        victim,
    )  # fmt: skip
    assert "+48600000000" in _common(calls, INVESTIGATOR, A, B)
    assert "+48600000000" not in _common(calls, ANALYST, A, B)


def test_a_case_is_asked_for_only_by_its_members(calls: Engine) -> None:
    assert _common(calls, ANALYST, A, B, case="c1") == ["+3592999"]  # C: of no case
    with transaction(calls) as conn:
        (top,) = queries.top_contacts(conn, ANALYST, A, case="c1")
    assert (top.number, top.calls) == ("+3592999", 1)
    with pytest.raises(NotFoundError):
        _common(calls, OUTSIDER, A, B, case="c1")
    refused = last_record(calls)
    assert refused["outcome"] == "refused" and refused["subject"]["case"] == "c1"


def test_an_answer_is_an_audit_record_of_the_calls_behind_it(calls: Engine) -> None:
    _common(calls, OUTSIDER, A, B)
    record = last_record(calls)
    assert record["actor"] == OUTSIDER.name and record["action"] == "search"
    assert record["subject"] == {"calls": "common", "numbers": [A, B], "case": None}
    assert record["entities"] == ["c-1", "c-2", "c-3"]
    assert record["result_size"] == 1


@pytest.mark.parametrize("actor", NO_CASE_DATA, ids=lambda a: a.role.value)
def test_roles_that_read_no_case_data_are_refused_on_record(calls: Engine, actor: Actor) -> None:
    with pytest.raises(RefusedError):
        _common(calls, actor, A, B)
    assert last_record(calls)["outcome"] == "refused"


def test_an_administrator_may_rebuild_but_not_read(calls: Engine) -> None:
    with transaction(calls) as conn:
        outcome = queries.rebuild_projection(conn, ADMINISTRATOR, "calls")
    assert (outcome.projected, outcome.rejected) == (8, 0)
    record = last_record(calls)
    assert record["subject"] == {"rebuild": "calls", "rows": 8, "rejected": 0}
    assert record["entities"] == []
    with pytest.raises(RefusedError), transaction(calls) as conn:
        queries.rebuild_projection(conn, AUDITOR, "calls")


def test_rejects_are_listed_as_far_as_they_may_be_seen(calls: Engine) -> None:
    store_entities(calls, [call("c-bad", A, B, "tomorrow")], CASE_ONLY)
    with transaction(calls) as conn:
        (rejected,) = queries.projection_rejects(conn, ANALYST, "calls")
        assert queries.projection_rejects(conn, OUTSIDER, "calls") == []
    assert (rejected.entity_id, rejected.field) == ("c-bad", "startDate")


def test_a_payment_is_hidden_where_its_accounts_number_is(calls: Engine) -> None:
    """Three cards pay into one account; one card's number is known only in case c1:
    outside the case its payment is not seen, and there is no fan-in of three."""
    store_entities(
        calls,
        [
            account("acc-card-1", "4149 0000 0000 0001"),
            account("acc-card-2", "4149 0000 0000 0002"),
            account("acc-collector", "UA21 3223 1300 0002 6007 2335 6600 1"),
            *(payment(f"p-{n}", f"acc-card-{n}", "acc-collector", "2500", "UAH")
              for n in (1, 2, 3)),
        ],
    )  # fmt: skip
    store_entities(calls, [account("acc-card-3", "4149 0000 0000 0003")], CASE_ONLY)
    with transaction(calls) as conn:
        (seen,) = queries.fan_in(conn, ANALYST, min_sources=3)
        assert queries.fan_in(conn, OUTSIDER, min_sources=3) == []
        (two,) = queries.fan_in(conn, OUTSIDER, min_sources=2)
    assert seen.collector == "UA213223130000026007233566001"
    assert seen.sources == ["4149000000000001", "4149000000000002", "4149000000000003"]
    assert seen.flow.amounts == {"UAH": 7500.0}
    assert len(two.sources) == 2
    assert last_record(calls)["entities"] == ["p-1", "p-2"]


def test_cycles_as_a_service(calls: Engine) -> None:
    store_entities(
        calls,
        [account("acc-x", "X"), account("acc-y", "Y"),
         payment("p-xy", "acc-x", "acc-y", "10"), payment("p-yx", "acc-y", "acc-x", "9")],
    )  # fmt: skip
    with transaction(calls) as conn:
        (found,) = queries.cycles(conn, INVESTIGATOR, max_length=2)
    assert found.accounts == ["X", "Y"]
    assert last_record(calls)["entities"] == ["p-xy", "p-yx"]
