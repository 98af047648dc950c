"""``nitka backup`` and ``nitka restore`` through the real CLI, on both databases."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine

from nitka.operations.archive import check_backup, read_manifest
from nitka.store.migrate import history
from tests.helpers import make_entity, store_entities
from tests.operations.helpers import (
    ROOT,
    add_audit_records,
    cli_env,
    counts,
    members,
    nitka,
    rewrite,
    said,
    trail_intact,
)

WRITER = """
import sys, time
from pathlib import Path
from nitka.store.db import make_engine
from tests.helpers import make_entity, store_entities
from tests.operations.helpers import add_audit_records
engine = make_engine(sys.argv[1])
stop = Path(sys.argv[2])
n = 0
while not stop.exists():
    store_entities(engine, [make_entity("Person", f"w-{n}-{i}", name=f"Writer {n} {i}")
                            for i in range(20)])
    add_audit_records(engine, 2, actor="writer")
    n += 1
    Path(sys.argv[3] + ".new").write_text(str(n))
    Path(sys.argv[3] + ".new").replace(sys.argv[3])
"""


def test_backup_while_another_process_writes_then_restore(
    listed: Engine, database_url: str, second_database_url: str, tmp_path: Path
) -> None:
    add_audit_records(listed, 5)
    stop, progress = tmp_path / "stop", tmp_path / "progress"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, database_url, str(stop), str(progress)],
        env=cli_env(database_url),
        cwd=ROOT,
    )
    try:
        while not progress.exists():
            time.sleep(0.05)
        out = tmp_path / "store.nitka-backup"
        written_before = int(progress.read_text())
        done = nitka(database_url, "backup", str(out))
        assert done.returncode == 0, done.stderr
        written_during = int(progress.read_text()) - written_before
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0
    assert written_during > 0, "the writer wrote nothing while the backup ran"

    manifest = check_backup(out)
    assert manifest.backend == ("sqlite" if database_url.startswith("sqlite") else "postgresql")
    assert manifest.revision == history()[-1] and manifest.nitka_version
    assert manifest.counts["statement"] > 0 and manifest.counts["audit_log"] >= 6
    assert sorted(members(out)) == ["manifest.json", manifest.payload]
    assert "backed up" in done.stdout and manifest.sha256 in done.stdout

    restored = nitka(second_database_url, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert "the audit trail is intact" in restored.stdout
    after = counts(second_database_url)
    # The snapshot is consistent: the restored store holds exactly what the manifest
    # counted (the restore checked it too), and one more audit record: the restore's.
    assert after["statement"] == manifest.counts["statement"]
    assert after["audit_log"] == manifest.counts["audit_log"] + 1
    assert trail_intact(second_database_url) == manifest.counts["audit_log"] + 1
    # The backup's own audit record is in it: an export of the whole store.
    assert nitka(second_database_url, "audit", "by-user", "operator", "--json").returncode == 0


def test_restore_refuses_a_store_that_is_not_empty_without_force(
    listed: Engine, database_url: str, second_database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "b.tar"
    assert nitka(database_url, "backup", str(out)).returncode == 0
    other = make_engine_for(second_database_url)
    store_entities(other, [make_entity("Person", "mine", name="Only Here")])
    other.dispose()
    before = counts(second_database_url)

    refused = nitka(second_database_url, "restore", str(out))
    assert refused.returncode != 0
    assert "not empty" in said(refused) and "--force" in said(refused)
    assert "statement" in said(refused)
    assert counts(second_database_url)["statement"] == before["statement"]

    forced = nitka(second_database_url, "restore", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "replaced" in forced.stdout
    manifest = read_manifest(out)
    assert counts(second_database_url)["statement"] == manifest.counts["statement"]
    trail_intact(second_database_url)


def test_a_tampered_payload_or_manifest_is_refused_and_the_store_kept(
    listed: Engine, database_url: str, second_database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "b.tar"
    assert nitka(database_url, "backup", str(out)).returncode == 0
    found = members(out)
    manifest = json.loads(found["manifest.json"])
    payload = bytearray(found[manifest["payload"]])
    payload[len(payload) // 2] ^= 0xFF
    bad_payload = tmp_path / "bad-payload.tar"
    rewrite(out, bad_payload, {manifest["payload"]: bytes(payload)})

    other = make_engine_for(second_database_url)
    store_entities(other, [make_entity("Person", "mine", name="Only Here")])
    other.dispose()
    before = counts(second_database_url)

    refused = nitka(second_database_url, "restore", str(bad_payload), "--force")
    assert refused.returncode != 0
    assert "SHA-256" in said(refused)

    # A manifest whose counts were changed (its payload intact) fails the check
    # after loading, which then is undone: the store is what it was.
    manifest["counts"]["statement"] += 1
    bad_manifest = tmp_path / "bad-manifest.tar"
    rewrite(out, bad_manifest, {"manifest.json": json.dumps(manifest).encode()})
    refused = nitka(second_database_url, "restore", str(bad_manifest), "--force")
    assert refused.returncode != 0
    assert "counts" in said(refused) and "statement" in said(refused)
    after = counts(second_database_url)
    assert after["statement"] == before["statement"]
    trail_intact(second_database_url)

    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    refused = nitka(second_database_url, "restore", str(not_a_backup), "--force")
    assert refused.returncode != 0 and "not a Nitka backup" in said(refused)


def test_a_backup_from_a_newer_nitka_or_another_backend_is_refused(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "b.tar"
    assert nitka(database_url, "backup", str(out)).returncode == 0
    manifest = json.loads(members(out)["manifest.json"])
    newer = tmp_path / "newer.tar"
    rewrite(out, newer, {"manifest.json": json.dumps({**manifest, "revision": "0999"}).encode()})
    refused = nitka(database_url, "restore", str(newer), "--force")
    assert refused.returncode != 0
    message = said(refused)
    assert "'0999'" in message and "newer" in message

    other = "postgresql" if manifest["backend"] == "sqlite" else "sqlite"
    payload = {"sqlite": "store.sqlite", "postgresql": "store.pgdump"}
    found = members(out)
    moved = tmp_path / "other.tar"
    rewrite(
        out,
        moved,
        {
            "manifest.json": json.dumps(
                {**manifest, "backend": other, "payload": payload[other]}
            ).encode(),
            payload[other]: found[manifest["payload"]],
        },
        order=["manifest.json", payload[other]],
    )
    refused = nitka(database_url, "restore", str(moved), "--force")
    assert refused.returncode != 0
    assert f"a {other} store" in said(refused)


def make_engine_for(url: str) -> Engine:
    from nitka.store.db import make_engine

    return make_engine(url)
