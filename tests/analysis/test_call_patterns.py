"""The call-record queries beyond contacts (chains, co-location, handsets, burners,
change around a date) on the hand-made calls, whose answers are read off
``tests.analysis.records``, and on the VAST sample, against a brute-force reading of
the CSV itself. Both databases."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from nitka.analysis.behaviour import change
from nitka.analysis.burners import burners
from nitka.analysis.calls import CallsProjection
from nitka.analysis.chains import chains
from nitka.analysis.colocation import colocated
from nitka.analysis.handsets import handsets
from nitka.analysis.projection import catch_up
from nitka.errors import FieldError
from tests.analysis.records import (
    I1,
    I2,
    KEY,
    VAST_SAMPLE,
    A,
    B,
    C,
    D,
    E,
    P,
    Q,
    R,
    S,
    T,
    X,
    Z,
    ingest_vast_sample,
    store_calls,
    store_cell_calls,
)


@pytest.fixture
def hand_made(engine: Engine) -> Engine:
    store_calls(engine)
    store_cell_calls(engine)
    with engine.begin() as conn:
        catch_up(conn, CallsProjection())
    return engine


def _chains(engine: Engine, number: str, **asked: Any) -> list[tuple[list[str], list[str]]]:
    with engine.connect() as conn:
        found = chains(conn, number, None, **asked)
    return [(chain.numbers, chain.ids) for chain in found]


def test_chains_follow_calls_in_time_order_within_the_window(hand_made: Engine) -> None:
    a, b, c = KEY[A], KEY[B], KEY[C]
    # A → C at 10:00, C → B at 11:00 (60 minutes: within); B → C goes back to C.
    assert _chains(hand_made, A) == [([a, c, b], ["c-1", "c-2"])]
    assert _chains(hand_made, A, window=59) == []
    # In two days, B → E (45 hours after C → B) goes on; depth 2 stops before it.
    assert _chains(hand_made, A, window=2880) == [([a, c, b, E], ["c-1", "c-2", "c-5"])]
    assert _chains(hand_made, A, window=2880, depth=2) == [([a, c, b], ["c-1", "c-2"])]
    assert _chains(hand_made, D) == []  # 200 made no call
    with pytest.raises(ValueError):
        _chains(hand_made, A, depth=5)
    with pytest.raises(FieldError):
        _chains(hand_made, "two hundred")


def test_colocation_pairs_calls_through_one_cell_within_minutes(hand_made: Engine) -> None:
    with hand_made.connect() as conn:
        found = [m.as_dict() for m in colocated(conn, P, None)]
        wider = {m.number: m.meetings for m in colocated(conn, P, None, minutes=30)}
        first_day = colocated(conn, P, None, until=datetime(2024, 4, 2))
        second_day = colocated(conn, P, None, since=datetime(2024, 4, 2))
    assert found == [
        {"number": Q, "meetings": 2, "cells": ["A1", "B2"],
         "first": "2024-04-01T10:10:00", "last": "2024-04-02T09:14:00"},
        {"number": S, "meetings": 1, "cells": ["B2"],
         "first": "2024-04-02T09:05:00", "last": "2024-04-02T09:05:00"},
    ]  # fmt: skip
    assert wider == {Q: 2, R: 1, S: 1}
    assert [(m.number, m.meetings) for m in first_day] == [(Q, 1)]
    assert [(m.number, sorted(m.ids)) for m in second_day] == [
        (S, ["k-5", "k-7"]),  # as many meetings as Q: the earlier first
        (Q, ["k-5", "k-6"]),
    ]


def test_handsets_of_several_numbers_and_swaps(hand_made: Engine) -> None:
    with hand_made.connect() as conn:
        shared, swaps = handsets(conn, None)
        only_t = handsets(conn, None, number=T)
        only_q = handsets(conn, None, number=Q)
    assert [h.as_dict() for h in shared] == [
        {"kind": "handset", "imei": I1, "numbers": [P, T], "calls": 3,
         "first": "2024-04-01T10:00:00", "last": "2024-04-04T12:00:00",
         "uses": [
             {"number": P, "calls": 2, "first": "2024-04-01T10:00:00",
              "last": "2024-04-03T12:00:00"},
             {"number": T, "calls": 1, "first": "2024-04-04T12:00:00",
              "last": "2024-04-04T12:00:00"}]},
    ]  # fmt: skip
    (swap,) = swaps
    assert (swap.number, swap.imeis, [run.name for run in swap.runs]) == (P, [I1, I2], [I1, I2, I1])
    assert swap.as_dict()["changes"] == 2 and sorted(swap.ids) == ["k-1", "k-5", "k-8"]
    # T: the handset it shares with P, no swap of its own.
    assert ([h.imei for h in only_t[0]], only_t[1]) == ([I1], [])
    assert only_q == ([], [])  # no IMEI in Q's calls


def test_burners_are_short_lived_numbers_with_few_contacts(engine: Engine) -> None:
    store_calls(engine)
    with engine.begin() as conn:
        catch_up(conn, CallsProjection())
        found = [(b.number, b.days, len(b.contacts), b.calls) for b in burners(conn, None)]
        few = [b.number for b in burners(conn, None, max_contacts=2)]
        short = [b.number for b in burners(conn, None, max_days=2)]
        single = [b.number for b in burners(conn, None, min_calls=1, max_days=1)]
        (c,) = burners(conn, None, max_days=2)
    # C: 1 and 2 March, A and B; B: 1 to 3 March, four calls; A: three calls.
    assert found == [(C, 2, 2, 3), (KEY[B], 3, 3, 4), (KEY[A], 3, 3, 3)]
    assert few == short == [C]
    assert single == [D, E]
    assert c.as_dict()["contact_numbers"] == sorted([KEY[A], KEY[B]])
    assert sorted(c.ids) == ["c-1", "c-2", "c-3"]


def test_change_of_behaviour_around_a_date(hand_made: Engine) -> None:
    with hand_made.connect() as conn:
        one_day = change(conn, A, datetime(2024, 3, 2), None, days=1).as_dict()
        two_days = change(conn, A, datetime(2024, 3, 2), None, days=2).as_dict()
        moved = change(conn, P, datetime(2024, 4, 2), None, days=1).as_dict()
    assert (one_day["before"]["calls"], one_day["after"]["calls"]) == (1, 1)
    assert (one_day["new_contacts"], one_day["dropped_contacts"]) == ([D], [C])
    assert (one_day["before"]["mean_seconds"], one_day["after"]["mean_seconds"]) == (60.0, 45.0)
    assert two_days["new_contacts"] == sorted([KEY[B], D])
    assert (two_days["before"]["calls_per_day"], two_days["after"]["calls_per_day"]) == (0.5, 1.0)
    # P made a call from A1 before and one from B2 after; S's call to P is S's cell.
    assert (moved["before"]["cells"], moved["after"]["cells"]) == ({"A1": 1}, {"B2": 1})
    assert (moved["new_cells"], moved["dropped_cells"]) == (["B2"], ["A1"])
    assert moved["after"]["contacts"] == 2 and moved["new_contacts"] == [S, Z]
    assert moved["dropped_contacts"] == [X]


# The VAST sample against the CSV read by brute force.

Row = tuple[str, str, datetime, str]


def _vast_rows() -> list[Row]:
    with VAST_SAMPLE.open(encoding="utf-8") as fh:
        return [
            (r["From"], r["To"], datetime.strptime(r["Datetime"], "%Y%m%d %H%M"), r["Cell Tower"])
            for r in csv.DictReader(fh)
        ]


def _meetings_by_hand(
    rows: list[Row], number: str, minutes: int
) -> dict[str, tuple[int, set[str]]]:
    found: dict[str, tuple[int, set[str]]] = {}
    gap = timedelta(minutes=minutes)
    for mine in rows:
        for theirs in rows:
            near = abs(mine[2] - theirs[2]) <= gap
            if mine[0] == number != theirs[0] and mine[3] == theirs[3] and near:
                count, cells = found.get(theirs[0], (0, set()))
                found[theirs[0]] = (count + 1, cells | {theirs[3]})
    return found


def _chains_by_hand(rows: list[Row], number: str, window: int, depth: int) -> set[tuple[Any, ...]]:
    gap = timedelta(minutes=window)
    found: set[tuple[Any, ...]] = set()

    def grow(chain: list[Row]) -> None:
        seen = {chain[0][0], *(step[1] for step in chain)}
        last = chain[-1]
        nexts = [r for r in rows if r[0] == last[1] and last[2] <= r[2] <= last[2] + gap
                 and r[1] not in seen] if len(chain) < depth else []  # fmt: skip
        if not nexts and len(chain) >= 2:
            found.add((chain[0][0], *(s[1] for s in chain), *(s[2] for s in chain)))
        for step in nexts:
            grow([*chain, step])

    for first in rows:
        if first[0] == number and first[1] != number:
            grow([first])
    return found


@pytest.fixture
def vast(engine: Engine) -> Engine:
    ingest_vast_sample(engine)
    with engine.begin() as conn:
        catch_up(conn, CallsProjection())
    return engine


def test_vast_colocation_is_the_brute_force_answer(vast: Engine) -> None:
    rows = _vast_rows()
    with vast.connect() as conn:
        for number in sorted({r[0] for r in rows}):
            for minutes in (15, 60, 240):
                found = colocated(conn, number, None, minutes=minutes)
                answer = {m.number: (m.meetings, m.cells) for m in found}
                assert answer == _meetings_by_hand(rows, number, minutes), (number, minutes)
        # 1 and 200 were in tower 29 together
        assert "200" in {m.number for m in colocated(conn, "1", None, minutes=60)}


def test_vast_chains_are_the_brute_force_answer(vast: Engine) -> None:
    rows = _vast_rows()
    with vast.connect() as conn:
        for number in sorted({r[0] for r in rows}):
            for window, depth in ((60, 3), (240, 3), (1440, 2), (1440, 4)):
                found = chains(conn, number, None, window=window, depth=depth, limit=10_000)
                answer = {(*c.numbers, *(s.start for s in c.steps)) for c in found}
                assert answer == _chains_by_hand(rows, number, window, depth), (number, window)
        (first,) = chains(conn, "2", None)
    assert first.numbers == ["2", "200", "5"]  # 17:42, then 200 called 5 at 17:45
