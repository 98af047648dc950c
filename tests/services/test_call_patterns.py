"""The call-record queries beyond contacts as services (chains, co-location, handsets,
burners, change around a date), on both databases: need-to-know (a call with a
statement of a case is seen only by the case's members, in every query), audit
records naming the calls behind an answer, bad input named by its field."""

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
from tests.analysis.records import (
    I2,
    KEY,
    A,
    B,
    P,
    Q,
    R,
    X,
    call,
    cell_call,
    raw_entity,
    store_calls,
    store_cell_calls,
)
from tests.helpers import store_entities
from tests.services.people import ANALYST, AUDITOR, OUTSIDER, cases_and_accounts, last_record

HIDDEN = "+3592999"
CASE_ONLY = Provenance("npu", case="c1")


@pytest.fixture
def calls(engine: Engine) -> Engine:
    """The hand-made calls of no case and, in case c1: B called HIDDEN half an hour after
    C called B; R was in cell B2 ten minutes after P; Q used handset I2 on 5 April."""
    cases_and_accounts(engine)
    store_calls(engine)
    store_cell_calls(engine)
    store_entities(
        engine,
        [
            call("h-1", B, HIDDEN, "2024-03-01T11:30:00"),
            cell_call("h-2", R, X, "2024-04-02T09:10:00", "B2", ""),
            cell_call("h-3", Q, X, "2024-04-05T09:00:00", "", I2),
        ],
        CASE_ONLY,
    )
    return engine


Ask = Callable[[Any, Actor], Any]


def _ask(engine: Engine, actor: Actor, ask: Ask) -> Any:
    with transaction(engine) as conn:
        return ask(conn, actor)


def test_a_case_call_is_seen_only_by_the_cases_members_in_every_query(calls: Engine) -> None:
    def chains(conn: Any, who: Actor) -> list[list[str]]:
        return [c.numbers for c in queries.chains(conn, who, A)]

    def met(conn: Any, who: Actor) -> set[str]:
        return {m.number for m in queries.colocated(conn, who, P)}

    def shared(conn: Any, who: Actor) -> list[str]:
        return [h.imei for h in queries.handsets(conn, who)[0]]

    def burners(conn: Any, who: Actor) -> list[str]:
        return [b.number for b in queries.burners(conn, who, min_calls=1, max_days=1)]

    def new(conn: Any, who: Actor) -> list[str]:
        return queries.behaviour_change(conn, who, B, "2024-03-01", days=1).new_contacts

    a, b, c = KEY[A], KEY[B], "+359888000111"
    assert _ask(calls, ANALYST, chains) == [[a, c, b, HIDDEN]]
    assert _ask(calls, OUTSIDER, chains) == [[a, c, b]]
    assert _ask(calls, ANALYST, met) == {Q, R, "304"}
    assert _ask(calls, OUTSIDER, met) == {Q, "304"}
    assert len(_ask(calls, ANALYST, shared)) == 2  # I1 (P, T) and I2 (P, Q)
    assert len(_ask(calls, OUTSIDER, shared)) == 1
    assert HIDDEN in _ask(calls, ANALYST, burners)
    assert HIDDEN not in _ask(calls, OUTSIDER, burners)
    assert HIDDEN in _ask(calls, ANALYST, new)
    assert HIDDEN not in _ask(calls, OUTSIDER, new)


def test_a_restricted_statement_hides_the_whole_call(calls: Engine) -> None:
    """Case c1 adds a handset to Q's public call in A1: outside the case the call is
    gone (Q meets P once), inside it is there (twice)."""
    store_entities(calls, [raw_entity("Call", "k-2", description=f"IMEI: {I2}")], CASE_ONLY)

    def meetings(conn: Any, who: Actor) -> int:
        return next(m.meetings for m in queries.colocated(conn, who, P) if m.number == Q)

    assert _ask(calls, ANALYST, meetings) == 2
    assert _ask(calls, OUTSIDER, meetings) == 1


def test_an_answer_is_an_audit_record_of_the_calls_behind_it(calls: Engine) -> None:
    _ask(calls, OUTSIDER, lambda conn, who: queries.colocated(conn, who, P, since="2024-04-02"))
    record = last_record(calls)
    assert record["subject"] == {"calls": "colocated", "number": P, "minutes": 15,
                                 "from": "2024-04-02", "to": None, "case": None}  # fmt: skip
    assert record["entities"] == ["k-5", "k-6", "k-7"] and record["result_size"] == 2
    _ask(calls, ANALYST, lambda conn, who: queries.chains(conn, who, A))
    assert last_record(calls)["entities"] == ["c-1", "c-2", "h-1"]
    _ask(calls, ANALYST, lambda conn, who: queries.handsets(conn, who, number=Q))
    assert last_record(calls)["entities"] == ["h-3", "k-5"]


@pytest.mark.parametrize(
    ("ask", "field"),
    [
        (lambda conn, who: queries.chains(conn, who, "two hundred"), "number"),
        (lambda conn, who: queries.chains(conn, who, A, depth=5), "depth"),
        (lambda conn, who: queries.chains(conn, who, A, window=0), "window"),
        (lambda conn, who: queries.colocated(conn, who, P, since="1 April"), "from"),
        (lambda conn, who: queries.colocated(conn, who, P, until="2024-02-30"), "to"),
        (lambda conn, who: queries.handsets(conn, who, number="x"), "number"),
        (lambda conn, who: queries.burners(conn, who, max_days=0), "max_days"),
        (lambda conn, who: queries.behaviour_change(conn, who, B, "soon"), "date"),
    ],
)
def test_bad_input_is_named(calls: Engine, ask: Ask, field: str) -> None:
    with pytest.raises(FieldError) as bad:
        _ask(calls, ANALYST, ask)
    assert bad.value.field == field


def test_roles_that_read_no_case_data_are_refused_on_record(calls: Engine) -> None:
    with pytest.raises(RefusedError):
        _ask(calls, AUDITOR, lambda conn, who: queries.burners(conn, who))
    assert last_record(calls)["outcome"] == "refused"
