"""Reads on a PostgreSQL streaming replica (issue 26 points 3 and 6, docs/replica.md):
a real primary and a replica made with ``pg_basebackup -R``. Reads run on the
replica and their audit records go to the primary; a read after the same user's
write waits for the replica to replay it, then reads from the primary; a replica
that lags too far, or stops (before a read or under one), is skipped with a warning
and no error, and used again once it is back. PostgreSQL only: SQLite has no
replicas."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from nitka.access.actor import Actor
from nitka.cli.main import app
from nitka.services import entities
from nitka.services.entities import Hit
from nitka.services.guard import transaction
from nitka.settings import Settings
from nitka.store.db import make_engine
from nitka.store.replica import Reads
from tests.helpers import make_entity, store_entities
from tests.replication import Replicated
from tests.services.people import last_record, records

OPERATOR = Actor.operator("replica.tester", origin="tests", purpose="replica tests")


@pytest.fixture
def engines(replicated_store: Replicated) -> Iterator[tuple[Engine, Engine]]:
    primary = make_engine(replicated_store.primary_url)
    replica = make_engine(replicated_store.replica_url, connect_timeout=2)
    yield primary, replica
    primary.dispose()
    replica.dispose()


def reads_of(
    engines: tuple[Engine, Engine],
    *,
    wait_seconds: float = 0.3,
    max_lag_seconds: float = 5.0,
    check_seconds: float = 1.0,
) -> Reads:
    primary, replica = engines
    return Reads(primary, replica, wait_seconds=wait_seconds, max_lag_seconds=max_lag_seconds,
                 retry_seconds=0.3, check_seconds=check_seconds)  # fmt: skip


def find(reads: Reads, name: str, after: int | None = None) -> list[Hit]:
    """The operator's search, its reading routed by ``reads``, its audit record in a
    transaction on the primary (as a route does it)."""
    with transaction(reads.primary) as conn:
        return reads.run(lambda read: entities.find(conn, OPERATOR, name, read=read), after,
                         primary=conn)  # fmt: skip


def ids(hits: list[Hit]) -> list[str]:
    """The ids found, best first (the store's other tests' entities may come after)."""
    return [hit.id for hit in hits]


def store_person(engine: Engine, entity_id: str, name: str) -> None:
    store_entities(engine, [make_entity("Person", entity_id, name=name)])


def test_reads_run_on_the_replica_and_their_audit_records_on_the_primary(
    replicated_store: Replicated, engines: tuple[Engine, Engine]
) -> None:
    reads = reads_of(engines)
    with reads.connect() as conn:
        assert conn.exec_driver_sql("SELECT pg_is_in_recovery()").scalar() is True
    with pytest.raises(DBAPIError, match="read-only"), reads.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE nothing_here (id int)")
    store_person(engines[0], "rr-roza", "Roza Hnatiuk")
    replicated_store.caught_up()
    before = reads.served["replica"]
    hits = find(reads, "Roza Hnatiuk")
    assert ids(hits)[:1] == ["rr-roza"]
    assert reads.served["replica"] == before + 1 and reads.served["primary"] == 0
    record = last_record(engines[0])
    assert (record["actor"], record["entities"]) == (OPERATOR.name, sorted(ids(hits)))


def test_a_read_after_the_users_write_waits_for_the_replica_then_reads_the_primary(
    replicated_store: Replicated, engines: tuple[Engine, Engine]
) -> None:
    # A bound the paused replica's lag cannot reach, for the first read to be the replica's.
    reads = reads_of(engines, wait_seconds=0.4, max_lag_seconds=600)
    replicated_store.pause_replay()
    try:
        store_person(engines[0], "rr-taras", "Taras Ivashchenko")
        written = reads.written()
        assert written is not None
        # Someone else's read may be as old as the replica: it does not see the write.
        assert "rr-taras" not in ids(find(reads, "Taras Ivashchenko"))
        assert reads.served == {"replica": 1}
        # The writer's own read waits for the replica, gives up and asks the primary.
        started = time.monotonic()
        hits = find(reads, "Taras Ivashchenko", after=written)
        assert time.monotonic() - started >= 0.4
        assert ids(hits)[:1] == ["rr-taras"]
        assert reads.served["waited"] == 1 and reads.served["primary"] == 1
    finally:
        replicated_store.resume_replay()
    # Once the replica has replayed it, the writer's read is the replica's again.
    hits = find(reads, "Taras Ivashchenko", after=written)
    assert ids(hits)[:1] == ["rr-taras"]
    assert reads.served["replica"] == 2 and reads.served["primary"] == 1


def test_a_replica_lagging_beyond_the_bound_is_skipped_with_a_warning(
    replicated_store: Replicated,
    engines: tuple[Engine, Engine],
    caplog: pytest.LogCaptureFixture,
) -> None:
    reads = reads_of(engines, max_lag_seconds=0.2, check_seconds=0.0)
    replicated_store.pause_replay()
    try:
        store_person(engines[0], "rr-yevhen", "Yevhen Bondar")
        time.sleep(0.3)
        with caplog.at_level(logging.WARNING, logger="nitka.store.replica"):
            assert ids(find(reads, "Yevhen Bondar"))[:1] == ["rr-yevhen"]
            assert ids(find(reads, "Yevhen Bondar"))[:1] == ["rr-yevhen"]
        assert reads.served["primary"] == 2 and reads.served["replica"] == 0
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "lags" in warnings[0]
        assert "Yevhen" not in warnings[0] and OPERATOR.name not in warnings[0]
    finally:
        replicated_store.resume_replay()
    replicated_store.caught_up()
    time.sleep(0.3)  # the retry time
    assert ids(find(reads, "Yevhen Bondar"))[:1] == ["rr-yevhen"]
    assert reads.served["replica"] == 1


def test_a_replica_that_stops_costs_no_read_and_is_used_again_once_back(
    replicated_store: Replicated,
    engines: tuple[Engine, Engine],
    caplog: pytest.LogCaptureFixture,
) -> None:
    reads = reads_of(engines)
    store_person(engines[0], "rr-olha", "Olha Marchenko")
    replicated_store.caught_up()
    assert ids(find(reads, "Olha Marchenko"))[:1] == ["rr-olha"]
    stopped = False

    def stop_under_the_read(read: Connection) -> list[Hit]:
        # The replica goes away while the read is under way (its connection is open).
        nonlocal stopped
        if not stopped:
            stopped = True
            replicated_store.stop_replica()
        return entities.find(conn, OPERATOR, "Olha Marchenko", read=read)

    try:
        with caplog.at_level(logging.WARNING, logger="nitka.store.replica"):
            with transaction(reads.primary) as conn:
                hits = reads.run(stop_under_the_read, primary=conn)
            assert ids(hits)[:1] == ["rr-olha"]
            # The next reads do not try the replica until the retry time has passed.
            assert ids(find(reads, "Olha Marchenko"))[:1] == ["rr-olha"]
            time.sleep(0.3)
            assert ids(find(reads, "Olha Marchenko"))[:1] == ["rr-olha"]
        # Tried again after the retry time, and still down: skipped once more.
        assert reads.served["rerun"] == 1 and reads.served["skipped"] == 2
        assert reads.served["primary"] == 3
        assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 2
        # One audit record for each read, the one run twice included.
        searches = [r for r in records(engines[0]) if r["subject"].get("query") == "Olha Marchenko"]
        assert len(searches) == 4
    finally:
        replicated_store.start_replica()
    time.sleep(0.3)
    assert ids(find(reads, "Olha Marchenko"))[:1] == ["rr-olha"]
    assert reads.served["replica"] == 3


def test_without_a_replica_every_read_is_the_primarys(engines: tuple[Engine, Engine]) -> None:
    reads = Reads(engines[0])
    assert reads.written() is None and reads.lag() is None
    with reads.connect() as conn:
        assert conn.exec_driver_sql("SELECT pg_is_in_recovery()").scalar() is False
    assert reads.served == {"primary": 1}


def test_serving_with_a_replica_of_a_sqlite_store_is_refused(tmp_path: Path) -> None:
    replica = {"NITKA_READ_DATABASE_URL": "postgresql://nitka@replica.example/nitka"}
    store = f"sqlite:///{tmp_path / 'nitka.db'}"
    refused = CliRunner().invoke(app, ["--database-url", store, "serve"], env=replica)
    assert refused.exit_code != 0
    assert "NITKA_READ_DATABASE_URL" in refused.output and "PostgreSQL" in refused.output
    primary = "postgresql://nitka@primary.example/nitka"
    both = Settings(database_url=primary, read_database_url=replica["NITKA_READ_DATABASE_URL"])
    both.check_for_serving()  # PostgreSQL on both sides: no error


def test_a_read_the_replica_cancels_runs_again_on_the_primary(
    replicated_store: Replicated, engines: tuple[Engine, Engine]
) -> None:
    """A query on the replica that holds a table the primary drops is cancelled as the
    drop is replayed (a conflict with recovery, no delay allowed here): the read runs
    again on the primary, and the replica is not set aside for it."""
    primary, _ = engines
    with primary.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE conflict_probe (id int)")
    replicated_store.caught_up()
    replicated_store.replica_sql("ALTER SYSTEM SET max_standby_streaming_delay = 0")
    replicated_store.replica_sql("SELECT pg_reload_conf()")

    def drop() -> None:
        time.sleep(0.3)
        with primary.begin() as conn:
            conn.exec_driver_sql("DROP TABLE conflict_probe")

    recovering: list[bool] = []

    def work(read: Connection) -> bool:
        recovering.append(bool(read.exec_driver_sql("SELECT pg_is_in_recovery()").scalar()))
        if len(recovering) == 1:
            read.exec_driver_sql("SELECT count(*) FROM conflict_probe").scalar()
            dropping = threading.Thread(target=drop)
            dropping.start()
            try:
                read.exec_driver_sql("SELECT pg_sleep(10)")
            finally:
                dropping.join()
        return recovering[-1]

    reads = reads_of(engines)
    try:
        started = time.monotonic()
        assert reads.run(work) is False
        assert time.monotonic() - started < 5
        assert recovering == [True, False]
        assert reads.served["rerun"] == 1 and reads.served["skipped"] == 0
        with reads.connect() as conn:
            assert conn.exec_driver_sql("SELECT pg_is_in_recovery()").scalar() is True
    finally:
        replicated_store.replica_sql("ALTER SYSTEM RESET max_standby_streaming_delay")
        replicated_store.replica_sql("SELECT pg_reload_conf()")
