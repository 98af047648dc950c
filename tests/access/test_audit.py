"""The audit trail: appends, the hash chain, and an attacker with database access."""

import threading

import pytest
from sqlalchemy import Connection, Engine, insert, text
from sqlalchemy.exc import DatabaseError

from nitka.access.audit import (
    Action,
    AuditError,
    AuditEvent,
    Outcome,
    append,
    by_actor,
    record_hash,
    verify,
    who_saw,
)
from nitka.store.tables import audit_log


def _event(actor: str = "analyst.o", n: int = 0, **changes: object) -> AuditEvent:
    fields: dict[str, object] = {
        "actor": actor,
        "action": Action.VIEW,
        "origin": "cli@ws-17",
        "purpose": "case 2026/17: recruiter network",
        "subject": {"query": f"Петренко {n}"},
        "entities": [f"person-{n}"],
        "result_size": 1,
    }
    fields.update(changes)
    return AuditEvent(**fields)  # type: ignore[arg-type]


def _log(engine: Engine, count: int) -> None:
    for n in range(1, count + 1):
        with engine.begin() as conn:
            append(conn, _event(n=n))


def test_records_chain_and_answer_who_saw_and_by_user(engine: Engine) -> None:
    with engine.begin() as conn:
        first = append(conn, _event(n=1))
        second = append(
            conn, _event("officer.k", 2, action=Action.CHECK, entities=["person-1", "doc-9"])
        )
        append(conn, _event("officer.k", 3, action=Action.EXPORT, outcome=Outcome.REFUSED))
    assert first.prev_hash == "0" * 64 and second.prev_hash == first.hash
    with engine.connect() as conn:
        found = verify(conn)
        assert found.intact and found.records == 3 and found.broken_at is None
        assert [r.id for r in who_saw(conn, "person-1")] == [1, 2]
        assert who_saw(conn, "nobody") == []
        officer = by_actor(conn, "officer.k")
        assert [(r.action, r.outcome) for r in officer] == [
            ("check", "done"),
            ("export", "refused"),
        ]
        assert officer[0].entities == ["doc-9", "person-1"]
        assert officer[0].as_dict()["subject"] == {"query": "Петренко 2"}


def test_an_empty_log_verifies(engine: Engine) -> None:
    with engine.connect() as conn:
        found = verify(conn)
    assert found.intact and found.records == 0 and found.head_hash == "0" * 64


def test_an_event_without_actor_or_origin_is_refused() -> None:
    with pytest.raises(AuditError) as caught:
        _event(actor=" ")
    assert caught.value.field == "actor"
    with pytest.raises(AuditError) as caught:
        _event(origin="")
    assert caught.value.field == "origin"


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET purpose = 'x'", "DELETE FROM audit_log"]
)
def test_the_database_refuses_to_change_the_log(engine: Engine, statement: str) -> None:
    _log(engine, 2)
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with engine.connect() as conn:
        assert verify(conn).intact


def _as_attacker(conn: Connection, statement: str, **params: object) -> None:
    """Change the log as someone with direct database access would: triggers off
    first, and a removed record's entity rows removed with it."""
    if conn.dialect.name == "sqlite":
        for table in ("audit_log", "audit_entity"):
            for action in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{action}"))
    else:
        for table in ("audit_log", "audit_entity"):
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
    if statement.startswith("DELETE FROM audit_log WHERE id = "):
        record_id = int(statement.rsplit(" ", 1)[1])
        conn.execute(text("DELETE FROM audit_entity WHERE audit_id = :id"), {"id": record_id})
    conn.execute(text(statement), params)


@pytest.mark.parametrize(
    ("attack", "broken_at", "says"),
    [
        ("UPDATE audit_log SET purpose = 'routine' WHERE id = 3", 3, "record 3 was changed"),
        ("UPDATE audit_log SET actor = 'someone.else' WHERE id = 1", 1, "record 1 was changed"),
        ("DELETE FROM audit_log WHERE id = 3", 4, "record 3 was removed"),
        ("DELETE FROM audit_log WHERE id = 5", 4, "records were removed from its end"),
        ("UPDATE audit_log SET prev_hash = hash WHERE id = 2", 2, "does not chain onto record 1"),
    ],
)
def test_tampering_is_found_and_the_first_broken_record_named(
    engine: Engine, attack: str, broken_at: int, says: str
) -> None:
    _log(engine, 5)
    with engine.begin() as conn:
        _as_attacker(conn, attack)
    with engine.connect() as conn:
        found = verify(conn)
    assert not found.intact
    assert found.broken_at == broken_at
    assert says in found.problems[0]


def test_a_changed_record_with_its_hash_recomputed_breaks_the_next_link(engine: Engine) -> None:
    _log(engine, 4)
    with engine.begin() as conn:
        row = dict(conn.execute(text("SELECT * FROM audit_log WHERE id = 2")).mappings().one())
        row["purpose"] = "routine"
        forged = record_hash(row["prev_hash"], row)
        _as_attacker(
            conn,
            "UPDATE audit_log SET purpose = 'routine', hash = :forged WHERE id = 2",
            forged=forged,
        )
    with engine.connect() as conn:
        found = verify(conn)
    assert found.broken_at == 3
    assert "does not chain onto record 2" in found.problems[0]


def test_a_record_slipped_in_at_the_end_is_found(engine: Engine) -> None:
    _log(engine, 3)
    with engine.begin() as conn:
        last = conn.execute(text("SELECT hash FROM audit_log WHERE id = 3")).scalar_one()
        fields = {
            "id": 4,
            "at": "2026-11-23T10:00:00.000000+00:00",
            "actor": "ghost",
            "origin": "psql",
            "action": "view",
            "purpose": "",
            "subject": "null",
            "entities": "[]",
            "result_size": 0,
            "outcome": "done",
        }
        # Even with a correct hash: the head still says the log ends at record 3.
        conn.execute(
            insert(audit_log).values(**fields, prev_hash=last, hash=record_hash(last, fields))
        )
    with engine.connect() as conn:
        found = verify(conn)
    assert not found.intact and found.broken_at == 4
    assert "slipped in" in found.problems[0]


def test_concurrent_appends_keep_one_chain(engine: Engine) -> None:
    errors: list[BaseException] = []

    def work(actor: str) -> None:
        try:
            for n in range(15):
                with engine.begin() as conn:
                    append(conn, _event(actor, n))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"user-{t}",)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as conn:
        found = verify(conn)
    assert found.intact and found.records == 60


def test_a_subject_with_an_integer_past_64_bits_is_recorded_with_its_digits(
    engine: Engine,
) -> None:
    huge = 2**80
    with engine.begin() as conn:
        append(conn, _event(subject={"min_payers": huge, "ok": [1, True, {"n": -(2**70)}]}))
    with engine.connect() as conn:
        record = by_actor(conn, "analyst.o")[0]
        assert record.as_dict()["subject"] == {
            "min_payers": str(huge),
            "ok": [1, True, {"n": str(-(2**70))}],
        }
        assert verify(conn).intact
