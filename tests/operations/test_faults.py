"""Faults during a backup or a restore: kill -9, a full disk, an older schema.

Whatever happens, no file that looks like a backup is left unless it is one, and
the store is either as it was or wholly restored; a second run then succeeds.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine

from nitka.operations.archive import check_backup, read_manifest
from nitka.operations.backup import backup
from nitka.store.db import make_engine
from nitka.store.migrate import alembic_config, current_revision, head_revision
from tests.helpers import make_entity, store_entities
from tests.operations.helpers import (
    counts,
    limit_file_size,
    nitka,
    said,
    start,
    trail_intact,
)
from tests.postgres import scratch_database

ATTEMPTS = 12


def kill_when(process_id: int, ready: Callable[[int], bool], timeout: float = 60) -> bool:
    """Kill the process with SIGKILL as soon as ``ready(its id)``; False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready(process_id):
            os.kill(process_id, signal.SIGKILL)
            return True
        try:
            done, _ = os.waitpid(process_id, os.WNOHANG)
        except ChildProcessError:
            return False
        if done:
            return False
        time.sleep(0.001)
    raise AssertionError("the command neither started its work nor ended")


def has_child(process_id: int) -> bool:
    """Whether the process has started a child (pg_dump, pg_restore)."""
    try:
        return bool(Path(f"/proc/{process_id}/task/{process_id}/children").read_text().split())
    except OSError:
        return False


def test_kill_9_during_a_backup_leaves_no_backup_and_the_store_as_it_was(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    listed.dispose()
    before = counts(database_url)
    out = tmp_path / "b.tar"
    working = [out.with_name("b.tar.partial"), out.with_name("b.tar.payload")]
    caught = 0
    for _ in range(ATTEMPTS):
        process = start(database_url, "backup", str(out))
        if kill_when(
            process.pid,
            lambda pid: (
                any(p.exists() for p in working)
                or (not database_url.startswith("sqlite") and has_child(pid))
            ),
        ):
            caught += 1
        process.wait()
        if out.exists():  # it finished before the kill: then it is a whole backup
            check_backup(out)
            out.unlink()
        else:
            assert process.returncode == -signal.SIGKILL
        if caught >= 2:
            break
    assert caught, "no run was killed while it worked"
    assert not out.exists()
    now = counts(database_url)
    assert now["statement"] == before["statement"]
    trail_intact(database_url)

    done = nitka(database_url, "backup", str(out))
    assert done.returncode == 0, done.stderr
    check_backup(out)
    assert not any(p.exists() for p in working)


@pytest.fixture
def occupied(database_url: str, second_database_url: str, tmp_path: Path) -> tuple[str, Path]:
    """A store holding one entity of its own, and a backup of another store."""
    source = make_engine(database_url)
    store_entities(source, [make_entity("Person", f"p{n}", name=f"Person {n}") for n in range(300)])
    source.dispose()
    out = tmp_path / "b.tar"
    assert nitka(database_url, "backup", str(out)).returncode == 0
    target = make_engine(second_database_url)
    store_entities(target, [make_entity("Person", "mine", name="Only Here")])
    target.dispose()
    return second_database_url, out


def test_kill_9_during_a_restore_leaves_the_old_store_or_the_whole_backup(
    occupied: tuple[str, Path],
) -> None:
    url, out = occupied
    before = counts(url)
    wanted = read_manifest(out).counts
    sqlite = url.startswith("sqlite")
    staging = Path(url.removeprefix("sqlite:///") + ".restoring")
    caught = 0
    for _ in range(ATTEMPTS):
        process = start(url, "restore", str(out), "--force")
        if kill_when(process.pid, (lambda _: staging.exists()) if sqlite else has_child):
            caught += 1
        process.wait()
        now = counts(url)
        if process.returncode == 0:  # finished before the kill
            assert now["statement"] == wanted["statement"]
            break
        assert process.returncode == -signal.SIGKILL
        assert now == before, "a killed restore left the store changed"
        trail_intact(url)
        if caught >= 2:
            break
    assert caught, "no run was killed while it worked"

    done = nitka(url, "restore", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert counts(url)["statement"] == wanted["statement"]
    trail_intact(url)
    if sqlite:
        assert not staging.exists()


def test_a_full_disk_during_a_backup_says_so_and_leaves_no_file(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    listed.dispose()
    out = tmp_path / "b.tar"
    limit = 256 * 1024
    done = nitka(database_url, "backup", str(out), preexec=limit_file_size(limit))
    assert done.returncode != 0
    assert "no room to write" in said(done), done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("b.tar")) == []
    trail_intact(database_url)
    assert nitka(database_url, "backup", str(out)).returncode == 0


@contextmanager
def older_store(database_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store made by the Nitka before this one (one revision behind the head)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'older.db'}"
        return
    with scratch_database(request.getfixturevalue("postgres_admin_url")) as url:
        yield url


def test_a_backup_of_an_older_schema_is_restored_and_upgraded(
    database_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    with older_store(database_url, request, tmp_path) as url:
        engine = make_engine(url)
        head = head_revision(engine)
        script = alembic_config(engine)
        command.upgrade(script, "head")
        command.downgrade(script, "-1")
        older = current_revision(engine)
        assert older is not None and older != head
        store_entities(engine, [make_entity("Person", "old", name="From Before")])
        out = tmp_path / "older.tar"
        manifest = backup(engine, out)
        engine.dispose()
    assert manifest.revision == older

    done = nitka(database_url, "restore", str(out))
    assert done.returncode == 0, done.stderr
    assert f"upgraded to {head}" in done.stdout
    restored = make_engine(database_url)
    try:
        assert current_revision(restored) == head
    finally:
        restored.dispose()
    assert counts(database_url)["statement"] == manifest.counts["statement"]
    trail_intact(database_url)
