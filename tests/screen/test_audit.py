"""The check log: every check, answered or refused, append-only in the database."""

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import DatabaseError

from nitka.access.audit import by_actor, verify, who_saw
from nitka.screen.audit import AuditError, CheckContext, notices_for
from nitka.screen.service import MAX_BATCH, BatchTooLargeError, Screener
from nitka.store.tables import check_log, owner_notice
from tests.helpers import WATCH_LISTS

CONTEXT = CheckContext(user="officer.k", purpose="roadside check", channel="test")


def test_every_query_of_a_batch_is_logged_and_hits_go_to_the_list_owner(listed: Engine) -> None:
    screener = Screener(listed, WATCH_LISTS)
    answers = screener.screen(
        [
            {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}},
            {"schema": "Person", "properties": {"name": [""]}},
        ],
        CONTEXT,
    )
    assert answers[0].result is not None and answers[0].result.is_hit
    assert answers[1].error is not None
    with listed.connect() as conn:
        rows = conn.execute(select(check_log).order_by(check_log.c.id)).all()
        notices = notices_for(conn, "eu_sanctions_269_2014")
    assert [(r.user, r.purpose, r.error is None) for r in rows] == [
        ("officer.k", "roadside check", True),
        ("officer.k", "roadside check", False),
    ]
    assert rows[1].error == "queries[1].properties.name: value is empty"
    assert notices and all(n["check_id"] == rows[0].id for n in notices)
    assert notices[0]["purpose"] == "roadside check"


@pytest.mark.parametrize("table", [check_log, owner_notice])
def test_the_log_refuses_updates_and_deletes(listed: Engine, table: object) -> None:
    screener = Screener(listed, WATCH_LISTS)
    screener.screen([{"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}], CONTEXT)
    for statement in (update(table).values(id=999), delete(table)):  # type: ignore[arg-type]
        with pytest.raises(DatabaseError, match="append-only"), listed.begin() as conn:
            conn.execute(statement)
    with listed.connect() as conn:
        assert conn.execute(select(table)).first() is not None  # type: ignore[call-overload]


def test_a_check_needs_a_user_and_a_purpose() -> None:
    with pytest.raises(AuditError) as caught:
        CheckContext(user="officer.k", purpose=" ", channel="api")
    assert caught.value.field == "purpose"
    with pytest.raises(AuditError):
        CheckContext(user="", purpose="border check", channel="api")


def test_a_batch_over_the_limit_is_refused_before_anything_is_checked(listed: Engine) -> None:
    screener = Screener(listed, WATCH_LISTS)
    query = {"schema": "Person", "properties": {"name": ["X Y"]}}
    with pytest.raises(BatchTooLargeError):
        screener.screen([query] * (MAX_BATCH + 1), CONTEXT)
    with listed.connect() as conn:
        assert conn.execute(select(check_log)).first() is None


def test_each_request_is_one_record_of_the_audit_trail(listed: Engine) -> None:
    screener = Screener(listed, WATCH_LISTS)
    context = CheckContext(
        user="officer.k", purpose="roadside check", channel="api", origin="api@10.0.0.7"
    )
    answers = screener.screen(
        [
            {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}},
            {"schema": "Person", "properties": {"name": ["Nobody Atall"]}},
        ],
        context,
    )
    hit = answers[0].result.hits[0].entry.id  # type: ignore[union-attr]
    with listed.connect() as conn:
        (record,) = by_actor(conn, "officer.k")
        assert verify(conn).intact
        assert [r.id for r in who_saw(conn, hit)] == [record.id]
    assert (record.action, record.origin, record.purpose) == (
        "check",
        "api@10.0.0.7",
        "roadside check",
    )
    assert record.entities == [hit] and record.result_size == 1
    assert record.as_dict()["subject"]["check_log"] == [a.log_id for a in answers]


def test_a_screener_without_the_audit_trail_still_keeps_the_check_log(listed: Engine) -> None:
    """Only the benchmark turns the audit trail off, to measure what it costs."""
    screener = Screener(listed, WATCH_LISTS, audited=False)
    screener.screen([{"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}], CONTEXT)
    with listed.connect() as conn:
        assert by_actor(conn, "officer.k") == []
        assert conn.execute(select(check_log)).first() is not None
