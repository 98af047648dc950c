"""Who may back up and restore, and what the audit trail says of it (the service)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine

from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.audit import WHOLE_STORE, latest, verify, who_saw
from nitka.operations.manifest import BackupError, table_counts
from nitka.services import operations
from nitka.services.guard import RefusedError
from nitka.store.db import make_engine
from tests.access.test_audit import _as_attacker
from tests.helpers import make_entity, store_entities
from tests.operations.helpers import add_audit_records


def account(engine: Engine, name: str, role: Role) -> Actor:
    with engine.begin() as conn:
        made = add_account(conn, name, role)
    return Actor.of(made, proof=Proof.NAMED, origin="test", purpose="upkeep")


def test_only_an_administrator_backs_up_and_the_backup_holds_its_own_record(
    engine: Engine, second_database_url: str, tmp_path: Path
) -> None:
    store_entities(engine, [make_entity("Person", "p1", name="Ivan Petrenko")])
    analyst = account(engine, "ann", Role.ANALYST)
    with pytest.raises(RefusedError):
        operations.backup(engine, analyst, tmp_path / "no.tar")
    assert not (tmp_path / "no.tar").exists()
    with engine.connect() as conn:
        refused = latest(conn, limit=1)[0]
    assert refused.actor == "ann" and refused.outcome == "refused"

    admin = account(engine, "root-admin", Role.ADMINISTRATOR)
    out = tmp_path / "b.tar"
    manifest = operations.backup(engine, admin, out)

    target = make_engine(second_database_url)
    try:
        ops = Actor.operator("ops", origin="test")
        restored = operations.restore(target, ops, out, force=False)
        assert restored.audit_records == manifest.counts["audit_log"]
        with target.connect() as conn:
            records = latest(conn, limit=2)
            # The backup's own record is in the backup, found for any entity.
            seen = who_saw(conn, "p1")
        made, restore = records[1], records[0]
        assert made.actor == "root-admin" and made.action == "export"
        assert orjson.loads(made.subject) == {"backup": str(out), "scope": WHOLE_STORE}
        assert any(r.id == made.id for r in seen)
        assert restore.actor == "ops" and restore.action == "change"
        subject = orjson.loads(restore.subject)
        assert subject["restore"] == str(out)
        assert subject["backup"]["sha256"] == manifest.sha256
        assert subject["replaced"] == {}
    finally:
        target.dispose()


def test_a_refused_restore_is_recorded_in_the_store_it_would_replace(
    engine: Engine, tmp_path: Path
) -> None:
    store_entities(engine, [make_entity("Person", "p1", name="Ivan Petrenko")])
    operator = Actor.operator("ops", origin="test")
    out = tmp_path / "b.tar"
    operations.backup(engine, operator, out)
    with pytest.raises(BackupError, match="not empty"):
        operations.restore(engine, operator, out, force=False)
    with engine.connect() as conn:
        refused = latest(conn, limit=1)[0]
    assert refused.action == "change" and refused.outcome == "refused"
    assert "not empty" in orjson.loads(refused.subject)["error"]


def test_a_backup_of_a_store_whose_audit_trail_was_altered_is_refused(
    engine: Engine, second_database_url: str, tmp_path: Path
) -> None:
    operator = Actor.operator("ops", origin="test")
    store_entities(engine, [make_entity("Person", "p1", name="Ivan Petrenko")])
    add_audit_records(engine, 4)
    with engine.begin() as conn:
        _as_attacker(conn, "UPDATE audit_log SET purpose = 'routine' WHERE id = 2")
    out = tmp_path / "b.tar"
    operations.backup(engine, operator, out)

    target = make_engine(second_database_url)
    try:
        store_entities(target, [make_entity("Person", "mine", name="Only Here")])
        with target.connect() as conn:
            before = table_counts(conn)
        with pytest.raises(BackupError, match="audit trail is broken at record 2"):
            operations.restore(target, operator, out, force=True)
        with target.connect() as conn:
            after = table_counts(conn)
            assert verify(conn).intact
        # The refusal is the one record added; nothing of the backup came in.
        assert after == {**before, "audit_log": before["audit_log"] + 1}
    finally:
        target.dispose()
