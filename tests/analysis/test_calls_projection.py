"""The calls projection and its queries, on both databases: the real VAST sample and the
hand-made calls (``tests.analysis.records``), bad values rejected by name, and the
projection kept current by the change sequence (an erased call leaves it)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import Engine, func, select

from nitka.access import retention
from nitka.analysis.calls import CallsProjection
from nitka.analysis.contacts import common_contacts, top_contacts
from nitka.analysis.projection import catch_up, rebuild, rejects_of
from nitka.effects.follow import held_position
from nitka.errors import FieldError
from nitka.model.statement import Provenance
from nitka.store.tables import analysis_call
from tests.analysis.records import (
    KEY,
    A,
    B,
    C,
    call,
    ingest_vast_sample,
    raw_entity,
    store_calls,
)
from tests.helpers import store_entities


def _caught_up(engine: Engine) -> None:
    with engine.begin() as conn:
        catch_up(conn, CallsProjection())


def _common(engine: Engine, *numbers: str) -> list[tuple[str, int, dict[str, int]]]:
    _caught_up(engine)
    with engine.connect() as conn:
        found = common_contacts(conn, numbers, None)
    return [(c.number, c.calls, c.by_number) for c in found]


def test_common_contacts_of_the_vast_suspect(engine: Engine) -> None:
    """200 and 5 (VAST 2008's key suspect and his most frequent contact) share three
    contacts; the counts are those of the rows of tests/data/vast2008_cdr_sample.csv."""
    ingest_vast_sample(engine)
    assert _common(engine, "200", "5") == [
        ("1", 12, {"200": 9, "5": 3}),
        ("137", 9, {"200": 5, "5": 4}),
        ("97", 8, {"200": 3, "5": 5}),
    ]
    assert _common(engine, "200", "5", "1") == []  # 1 is asked for: not its own contact
    assert _common(engine, "200", "137") == [("5", 18, {"137": 4, "200": 14})]


def test_top_contacts_of_the_vast_suspect(engine: Engine) -> None:
    ingest_vast_sample(engine)
    _caught_up(engine)
    with engine.connect() as conn:
        found = top_contacts(conn, "200", None, limit=3)
    assert [(c.number, c.calls, c.outgoing, c.incoming) for c in found] == [
        ("5", 14, 7, 7),
        ("1", 9, 3, 6),
        ("3", 8, 3, 5),  # as many calls as 2, but longer (8,520 s to 8,143 s)
    ]
    assert found[0].seconds == 15_183
    assert found[1].first == datetime(2006, 6, 1, 7, 21)
    assert found[1].last == datetime(2006, 6, 7, 13, 39)


def test_numbers_are_compared_however_they_are_written(engine: Engine) -> None:
    store_calls(engine)
    expected = [(C, 3, {KEY[A]: 1, KEY[B]: 2})]
    assert _common(engine, A, B) == expected
    assert _common(engine, "+380501112233", "+380 67 123 45 67") == expected


def test_a_number_that_is_no_number_is_the_askers_error(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises(FieldError) as caught:
        common_contacts(conn, ["200", "two hundred"], None)
    assert caught.value.field == "numbers"
    with engine.connect() as conn, pytest.raises(FieldError, match="2 to 10"):
        common_contacts(conn, ["200", "200"], None)


def test_a_row_keeps_the_tower_imei_and_imsi(engine: Engine) -> None:
    store_entities(
        engine,
        [
            call(
                "c-t",
                A,
                B,
                "2024-03-01T10:00:00+02:00",
                "75",
                description=["Cell tower: 17", "IMEI: 356938035643809", "IMSI: 255010123456789"],
            )
        ],
    )
    _caught_up(engine)
    with engine.connect() as conn:
        row = conn.execute(select(analysis_call)).one()
    assert (row.caller, row.callee, row.duration) == (KEY[A], KEY[B], 75)
    assert row.start == datetime(2024, 3, 1, 8, 0)  # in UTC
    assert (row.cell, row.imei, row.imsi) == ("17", "356938035643809", "255010123456789")


BAD_CALLS = [
    (call("bad-number", "call me", B, "2024-03-01T10:00:00"), "callerNumber", "not a phone"),
    (call("bad-time", A, B, "2024-13-45T10:00:00"), "startDate", "not a date and time"),
    (call("a-day-only", A, B, "2024-03-01"), "startDate", "without a time of day"),
    (call("bad-length", A, B, "2024-03-01T10:00:00", "-44"), "duration", "negative length"),
    (call("no-callee", A, "", "2024-03-01T10:00:00"), "receiverNumber", "no receiver's number"),
    (
        raw_entity("Call", "two-starts", callerNumber=A, receiverNumber=B,
                   startDate=["2024-03-01T10:00:00", "2024-03-01T10:05:00"]),
        "startDate",
        "2 different values",
    ),
]  # fmt: skip


def test_bad_calls_are_rejected_by_name_and_the_rest_projected(engine: Engine) -> None:
    store_calls(engine)
    store_entities(engine, [entity for entity, _, _ in BAD_CALLS])
    with engine.begin() as conn:
        outcome = catch_up(conn, CallsProjection())
    assert (outcome.projected, outcome.rejected) == (6, len(BAD_CALLS))
    with engine.connect() as conn:
        rejects = {r.entity_id: r for r in rejects_of(conn, "calls", None)}
        ids = set(conn.execute(select(analysis_call.c.id)).scalars())
    assert ids == {f"c-{n}" for n in range(1, 7)}  # nothing of a rejected call
    for entity, field, reason in BAD_CALLS:
        assert entity.id is not None
        assert rejects[entity.id].field == field
        assert reason in rejects[entity.id].reason
    assert rejects["bad-time"].value == "2024-13-45T10:00:00"


def test_the_projection_follows_ingests_and_erasures(engine: Engine) -> None:
    store_calls(engine)
    assert _common(engine, A, B) == [(C, 3, {KEY[A]: 1, KEY[B]: 2})]
    # A later ingest: another number in contact with both.
    store_entities(
        engine,
        [call("c-7", A, "+359 2 111", "2024-04-01T10:00:00"),
         call("c-8", "+359 2 111", B, "2024-04-01T10:05:00")],
        Provenance("operator-2"),
    )  # fmt: skip
    assert [n for n, _, _ in _common(engine, A, B)] == [C, "+3592111"]
    # The calls of C with B are erased: C is no longer a common contact.
    for call_id in ("c-2", "c-3"):
        with engine.begin() as conn:
            retention.erase(conn, call_id)
    assert [n for n, _, _ in _common(engine, A, B)] == ["+3592111"]
    with engine.connect() as conn:
        ids = set(conn.execute(select(analysis_call.c.id)).scalars())
    assert "c-2" not in ids and "c-3" not in ids


def test_an_erased_rejected_call_leaves_the_rejects(engine: Engine) -> None:
    store_entities(engine, [call("bad-time", A, B, "yesterday")])
    _caught_up(engine)
    with engine.begin() as conn:
        retention.erase(conn, "bad-time")
    _caught_up(engine)
    with engine.connect() as conn:
        assert rejects_of(conn, "calls", None) == []


def test_a_rebuild_gives_what_catching_up_gave(engine: Engine) -> None:
    ingest_vast_sample(engine)
    _caught_up(engine)
    with engine.connect() as conn:
        followed = sorted(conn.execute(select(analysis_call)).all())
    with engine.begin() as conn:
        outcome = rebuild(conn, CallsProjection())
    with engine.connect() as conn:
        assert sorted(conn.execute(select(analysis_call)).all()) == followed
        assert conn.execute(select(func.count()).select_from(analysis_call)).scalar() == 63
    assert (outcome.projected, outcome.rejected, outcome.rebuilt) == (63, 0, True)


def test_an_erasure_takes_the_projected_rows_out_at_once(engine: Engine) -> None:
    """No projected copy of an erased call (or of the payments of an erased account)
    waits for the next query to catch up: the erasure's own transaction removes it."""
    store_calls(engine)
    store_entities(engine, [call("c-bad", A, B, "yesterday")])
    _caught_up(engine)
    with engine.begin() as conn:
        retention.erase(conn, "c-1")
        retention.erase(conn, "c-bad")
    with engine.connect() as conn:
        ids = set(conn.execute(select(analysis_call.c.id)).scalars())
        assert rejects_of(conn, "calls", None) == []
    assert ids == {f"c-{n}" for n in range(2, 7)}


def test_a_caught_up_projection_is_read_without_waiting_for_its_lock(engine: Engine) -> None:
    """While one reader takes in changes (holding the position's lock), another of the
    same kind whose projection is already current reads at once, not after it."""
    store_calls(engine)
    _caught_up(engine)
    holder = engine.connect()
    try:
        holding = holder.begin()
        held_position(holder, CallsProjection.kind)  # what a catch-up with changes does first
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
            outcome = catch_up(conn, CallsProjection())
        assert outcome.projected == outcome.removed == 0
        assert not outcome.rebuilt
        holding.rollback()
    finally:
        holder.close()
