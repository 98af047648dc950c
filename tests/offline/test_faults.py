"""``kill -9`` of ``nitka offline sync`` and of ``nitka offline upload`` half-way, then
the command again: nothing lost, nothing doubled, the copy as a fresh pull makes it."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from nitka.access.retention import erase
from nitka.effects import ChangeKind, after_write
from nitka.screen.withdrawals import WithdrawalKind, record
from nitka.store.outbox import last_seq
from nitka.store.tables import audit_log, offline_check, offline_origin, statement
from tests.helpers import WATCH_LISTS as LISTS
from tests.offline.laptop import Laptop
from tests.offline.test_offline_copy import checks_file, laptop, screen_on, server
from tests.web.serving import Service

__all__ = ["laptop", "server"]  # the fixtures, shared with the copy's tests


def kill_when(laptop: Laptop, args: list[str], ready: Callable[[], bool]) -> None:
    """Start ``nitka ARGS`` on the copy and ``kill -9`` it as soon as ``ready()``."""
    process = laptop.start(*args)
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            if ready():
                break
            if process.poll() is not None:
                assert process.stderr is not None
                pytest.fail(f"finished before the kill: {process.stderr.read().decode()}")
            time.sleep(0.02)
        else:
            pytest.fail("never got half-way")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()
    assert process.returncode == -signal.SIGKILL


def statements_of(laptop: Laptop) -> set[tuple[object, ...]]:
    with laptop.opened() as copy, copy.connect() as conn:
        return {tuple(row) for row in conn.execute(select(statement))}


def test_a_sync_killed_half_way_goes_on_from_its_last_whole_page(
    server: Service, listed: Engine, laptop: Laptop, tmp_path: Path
) -> None:
    held = sorted(laptop.held())
    with listed.begin() as conn:
        for entity_id in held[:3]:
            for name in LISTS:
                record(conn, WithdrawalKind.WITHDRAW, entity_id, name, user="ncb", reason="x")
        for _ in range(3):
            for entity_id in held[3:]:
                after_write(conn, ChangeKind.REFRESH, [entity_id])
        erase(conn, held[-1])
        final = last_seq(conn)
    start = laptop.origin().position
    with laptop.opened() as copy:

        def half_way() -> bool:
            with copy.connect() as conn:
                position = int(conn.execute(select(offline_origin.c.position)).scalar_one())
            return start < position < final

        kill_when(laptop, ["offline", "sync", "--page-size", "2"], half_way)
        with copy.connect() as conn:
            assert start < conn.execute(select(offline_origin.c.position)).scalar_one() < final

    done = laptop.run("offline", "sync")
    assert done.returncode == 0, done.stderr
    assert laptop.origin().position == final
    fresh = Laptop(tmp_path / "fresh.db", laptop.token)
    pulled = fresh.run("offline", "pull", "--from", server.url)
    assert pulled.returncode == 0, pulled.stderr
    assert statements_of(laptop) == statements_of(fresh)
    now = laptop.held()
    assert not set(held[:3]) & set(now) and held[-1] not in now


def test_an_upload_killed_half_way_stores_every_check_once(
    server: Service, listed: Engine, laptop: Laptop, tmp_path: Path
) -> None:
    names = [f"Traveller Number{i} Testovyi" for i in range(150)]
    screen_on(laptop, checks_file(tmp_path / "crossing.csv", names))

    def stored() -> int:
        with listed.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(offline_check)).scalar_one())

    kill_when(laptop, ["offline", "upload", "--batch", "1"], lambda: 0 < stored() < 150)
    assert 0 < stored() < 150
    done = laptop.run("offline", "upload")
    assert done.returncode == 0, done.stderr
    with listed.connect() as conn:
        numbers = list(conn.execute(select(offline_check.c.check_id)).scalars())
        offline = conn.execute(
            select(func.count()).where(audit_log.c.subject.like("%offline check%"))
        ).scalar_one()
    assert sorted(numbers) == list(range(1, 151))
    assert offline == 150
    assert laptop.origin().uploaded_through == 150
    again = laptop.run("offline", "upload")
    assert "uploaded 0 checks" in again.stderr and stored() == 150
