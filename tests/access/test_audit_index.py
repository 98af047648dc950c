"""Who-saw by index: the side table ``audit_entity``, its whole-store marker, the
migration that fills it, and ``verify`` finding rows removed from it."""

from pathlib import Path
from typing import Any

import orjson
import pytest
from alembic import command
from sqlalchemy import Connection, Engine, func, insert, select, text, update

from nitka.access.audit import (
    GENESIS,
    WHOLE_STORE,
    WHOLE_STORE_MARK,
    Action,
    AuditEvent,
    Outcome,
    append,
    append_many,
    record_hash,
    verify,
    who_saw,
)
from nitka.access.retention import subject_report
from nitka.model.statement import Provenance
from nitka.resolve.merges import merge
from nitka.store.db import make_engine
from nitka.store.migrate import alembic_config, upgrade
from nitka.store.reader import cluster_ids
from nitka.store.tables import audit_entity, audit_head, audit_log
from tests.helpers import make_entity, store_entities
from tests.postgres import scratch_database


def _event(action: Action, entities: list[str], **changes: Any) -> AuditEvent:
    fields: dict[str, Any] = {
        "actor": "analyst.o",
        "action": action,
        "origin": "cli@ws-17",
        "purpose": "case 2026/17",
        "subject": {"query": "Петренко"},
        "entities": entities,
        "result_size": len(entities),
    }
    fields.update(changes)
    return AuditEvent(**fields)


WHOLE = {"path": "all.jsonl", "what": "entities", "scope": WHOLE_STORE}


def _indexed(conn: Connection, record_id: int) -> set[str]:
    rows = select(audit_entity.c.entity_id).where(audit_entity.c.audit_id == record_id)
    return set(conn.execute(rows).scalars())


def test_who_saw_finds_the_entitys_records_and_whole_store_exports_by_index(
    engine: Engine,
) -> None:
    with engine.begin() as conn:
        append_many(
            conn,
            [
                _event(Action.SEARCH, ["p-1", "p-2"]),  # 1
                _event(Action.VIEW, ["p-2"]),  # 2
                _event(Action.EXPORT, [], subject=WHOLE),  # 3: held every entity
                _event(Action.EXPORT, [], subject=WHOLE, outcome=Outcome.REFUSED),  # 4: held none
                _event(Action.CHECK, ["p-1"]),  # 5
                # A caller's own subject claiming the whole store, on an action that
                # never concerns it: not marked.
                _event(Action.DISCLOSURE, [], subject={"scope": WHOLE_STORE}),  # 6
                _event(Action.SEARCH, [], subject={"query": "*", "scope": WHOLE_STORE}),  # 7
            ],
        )
    with engine.connect() as conn:
        assert _indexed(conn, 3) == {WHOLE_STORE_MARK} and _indexed(conn, 7) == {WHOLE_STORE_MARK}
        assert _indexed(conn, 4) == set() and _indexed(conn, 6) == set()
        assert [r.id for r in who_saw(conn, "p-1")] == [1, 3, 5, 7]
        assert [r.id for r in who_saw(conn, "p-2")] == [1, 2, 3, 7]
        assert [r.id for r in who_saw(conn, "nobody")] == [3, 7]  # may have been exported
        assert [r.id for r in who_saw(conn, ["p-1", "p-2"])] == [1, 2, 3, 5, 7]
        assert who_saw(conn, []) == []
        assert [r.id for r in who_saw(conn, "p-1", after=1, limit=2)] == [3, 5]
        assert [r.id for r in who_saw(conn, "p-1", limit=3, newest_first=True)] == [7, 5, 3]
        assert verify(conn).intact


def test_a_row_slipped_into_the_index_shows_nothing_and_pages_stay_full(engine: Engine) -> None:
    with engine.begin() as conn:
        append_many(conn, [_event(Action.VIEW, [f"p-{n}"]) for n in range(1, 7)])
        # Someone writes index rows claiming records 2 and 3 were about p-1.
        conn.execute(insert(audit_entity), [{"audit_id": i, "entity_id": "p-1"} for i in (2, 3)])
    with engine.connect() as conn:
        assert [r.id for r in who_saw(conn, "p-1")] == [1]
        # The page of two skips the unconfirmed records and still holds two.
        append(conn, _event(Action.VIEW, ["p-1"]))
        assert [r.id for r in who_saw(conn, "p-1", limit=2)] == [1, 7]
        assert [r.id for r in who_saw(conn, "p-1", limit=2, newest_first=True)] == [7, 1]
        assert verify(conn).intact  # extra rows hide nothing


def _remove_index_rows(conn: Connection, where: str) -> None:
    """As an attacker with database access would: the append-only trigger off first."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("DROP TRIGGER IF EXISTS audit_entity_no_delete"))
    else:
        conn.execute(text("ALTER TABLE audit_entity DISABLE TRIGGER USER"))
    conn.execute(text(f"DELETE FROM audit_entity WHERE {where}"))


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("audit_id = 3 AND entity_id = 'p-3'", "record 3 is missing from the who-saw index"),
        (
            f"entity_id = '{WHOLE_STORE_MARK}'",
            "record 4 is missing from the who-saw index (audit_entity) for *",
        ),
    ],
)
def test_verify_names_a_record_whose_index_rows_were_removed(
    engine: Engine, where: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("nitka.access.audit.VERIFY_CHUNK", 2)  # the walk crosses chunks
    with engine.begin() as conn:
        for n in (1, 2, 3):
            append(conn, _event(Action.VIEW, [f"p-{n}"]))
        append(conn, _event(Action.EXPORT, [], subject=WHOLE))
        append(conn, _event(Action.VIEW, ["p-5"]))
    with engine.connect() as conn:
        found = verify(conn)
        assert found.intact and found.records == 5
    with engine.begin() as conn:
        _remove_index_rows(conn, where)
    with engine.connect() as conn:
        found = verify(conn)
    assert not found.intact and says in found.problems[0]
    assert found.broken_at == int(says.split()[1])


def test_who_saw_of_a_merged_entity_and_its_subject_report_ask_once_for_all_members(
    engine: Engine,
) -> None:
    people = [make_entity("Person", i, name=f"Oleksandr Petrenko {i}") for i in ("a", "b", "c")]
    store_entities(engine, people, Provenance("npu"))
    with engine.begin() as conn:
        append(conn, _event(Action.VIEW, ["a"]))  # 1
        append(conn, _event(Action.SEARCH, ["b", "c"]))  # 2
        append(conn, _event(Action.EXPORT, [], subject=WHOLE))  # 3
        merged = merge(conn, "a", "b", "analyst.o", "same passport")
        append(conn, _event(Action.VIEW, [merged]))  # 4
        append(conn, _event(Action.VIEW, ["c"]))  # 5
    with engine.connect() as conn:
        assert cluster_ids(conn, "b") == {"a", "b", merged}
        assert cluster_ids(conn, "c") == {"c"}
        assert [r.id for r in who_saw(conn, cluster_ids(conn, "a"))] == [1, 2, 3, 4]
        report = subject_report(conn, "a")
    # Each record once, though it named two members or none.
    assert [(p["action"], p["by"]) for p in report["processing"]] == [
        ("view", "analyst.o"),
        ("search", "analyst.o"),
        ("export", "analyst.o"),
        ("view", "analyst.o"),
    ]


def _old_append(conn: Connection, event: AuditEvent) -> None:
    """An append as revision 0011 wrote it: the record and its entity rows, no marker."""
    last_id, last_hash = conn.execute(select(audit_head.c.last_id, audit_head.c.last_hash)).one()
    entities = sorted(set(event.entities))
    fields = {
        "id": last_id + 1,
        "at": "2026-11-20T10:00:00.000000+00:00",
        "actor": event.actor,
        "origin": event.origin,
        "action": Action(event.action).value,
        "purpose": event.purpose,
        "subject": orjson.dumps(event.subject).decode(),
        "entities": orjson.dumps(entities).decode(),
        "result_size": event.result_size,
        "outcome": Outcome(event.outcome).value,
    }
    digest = record_hash(last_hash, fields)
    conn.execute(insert(audit_log).values(**fields, prev_hash=last_hash, hash=digest))
    for entity_id in entities:
        conn.execute(insert(audit_entity).values(audit_id=fields["id"], entity_id=entity_id))
    conn.execute(update(audit_head).values(last_id=fields["id"], last_hash=digest))


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Any:
    """A database with no tables at all, on the backend of ``database_url``."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    with scratch_database(admin_url) as url:
        yield url


def test_the_migration_marks_the_whole_store_records_already_in_the_log(empty_url: str) -> None:
    old = make_engine(empty_url)
    command.upgrade(alembic_config(old), "0011")
    with old.begin() as conn:
        _old_append(conn, _event(Action.VIEW, ["p-1"]))
        _old_append(conn, _event(Action.EXPORT, [], subject=WHOLE))
        _old_append(conn, _event(Action.EXPORT, [], subject=WHOLE, outcome=Outcome.REFUSED))
        _old_append(conn, _event(Action.DISCLOSURE, [], subject={"scope": WHOLE_STORE}))
        _old_append(conn, _event(Action.EXPORT, ["p-1", "p-2"], subject={**WHOLE, "scope": "x"}))
    with old.connect() as conn:
        assert not verify(conn).intact  # the new verify: record 2 lacks its marker
    upgrade(old)
    with old.connect() as conn:
        assert [r.id for r in who_saw(conn, "p-1")] == [1, 2, 5]
        assert [r.id for r in who_saw(conn, "p-9")] == [2]
        marked = select(func.count()).where(audit_entity.c.entity_id == WHOLE_STORE_MARK)
        assert conn.execute(marked).scalar_one() == 1
        found = verify(conn)
        assert found.intact and found.records == 5 and found.head_hash != GENESIS
    with old.begin() as conn:  # and appends go on chaining after the upgrade
        append(conn, _event(Action.EXPORT, [], subject=WHOLE))
    with old.connect() as conn:
        assert [r.id for r in who_saw(conn, "p-9")] == [2, 6] and verify(conn).intact
    old.dispose()
