"""A PostgreSQL primary and a streaming replica of it, for the read-replica tests and
the lag benchmark: started from the installed binaries in a temporary folder, the
replica made with ``pg_basebackup -R`` (which writes its ``primary_conninfo`` and
``standby.signal``) and started on a port of its own."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.replica import parse_lsn
from tests.postgres import SERVER_USER, find_binaries
from tests.postgres import _as_server_user as as_server_user
from tests.postgres import _free_port as free_port

DATABASE = "nitka"


@dataclass
class Replicated:
    """A running primary and replica, each holding the migrated store ``nitka``."""

    primary_url: str
    replica_url: str
    folder: Path
    replica_port: int
    binaries: Path
    prefix: list[str]
    fsync: bool = False

    def stop_replica(self) -> None:
        """Stop the replica at once, as a crash would (``pg_ctl stop -m immediate``)."""
        self._ctl("-m", "immediate", "stop")

    def start_replica(self) -> None:
        self._ctl("-o", self._options(self.replica_port), "-l", str(self.folder / "replica.log"),
                  "-w", "start")  # fmt: skip

    def replica_sql(self, sql: str) -> object:
        """One statement on the replica, in a connection of its own; its first value."""
        engine = create_engine(self.replica_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                result = conn.exec_driver_sql(sql)
                return result.scalar() if result.returns_rows else None
        finally:
            engine.dispose()

    def pause_replay(self) -> None:
        """The replica goes on receiving the primary's WAL but applies none of it."""
        self.replica_sql("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.replica_sql("SELECT pg_wal_replay_resume()")

    def caught_up(self, timeout: float = 30.0) -> None:
        """Wait until the replica has replayed all the primary has written so far."""
        engine = create_engine(self.primary_url)
        with engine.connect() as conn:
            target = parse_lsn(conn.exec_driver_sql("SELECT pg_current_wal_lsn()::text").scalar())
        engine.dispose()
        assert target is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replayed = parse_lsn(str(self.replica_sql("SELECT pg_last_wal_replay_lsn()::text")))
            if replayed is not None and replayed >= target:
                return
            time.sleep(0.02)
        raise AssertionError("the replica did not catch up")

    def _ctl(self, *args: str) -> None:
        command = [*self.prefix, str(self.binaries / "pg_ctl"), "-D", str(self.folder / "replica")]
        subprocess.run([*command, *args], check=True, capture_output=True)

    def _options(self, port: int) -> str:
        # No fsync: a crash of the test machine loses nothing worth keeping.
        return f"-p {port} -k {self.folder / 'sockets'} -c listen_addresses=127.0.0.1 -c fsync=off"


@contextmanager
def replicated(*, fsync: bool = False) -> Iterator[Replicated]:
    """Start a primary (``wal_level=replica``, trust for local replication, as
    ``initdb -A trust`` writes it) with the store migrated, then its replica;
    ``fsync``: with each server's fsync on (the benchmark), else off (the tests)."""
    binaries = find_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL binaries (initdb, pg_ctl) not found")
    prefix = as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="nitka-replica-"))
    (folder / "sockets").mkdir()
    if prefix:
        shutil.chown(folder, SERVER_USER)
        shutil.chown(folder / "sockets", SERVER_USER)
    user = SERVER_USER if prefix else pwd.getpwuid(os.geteuid()).pw_name
    primary_port, replica_port = free_port(), free_port()
    pair = Replicated(
        f"postgresql+psycopg://{user}@127.0.0.1:{primary_port}/{DATABASE}",
        f"postgresql+psycopg://{user}@127.0.0.1:{replica_port}/{DATABASE}",
        folder,
        replica_port,
        binaries,
        prefix,
        fsync,
    )

    def run(*command: str) -> None:
        subprocess.run([*prefix, *command], check=True, capture_output=True)

    primary = str(folder / "primary")
    run(str(binaries / "initdb"), "-D", primary, "-U", user, "-A", "trust", "-E", "UTF8",
        "--locale=C.UTF-8", "--no-sync")  # fmt: skip
    options = pair._options(primary_port) + " -c wal_level=replica -c max_wal_senders=4"
    run(str(binaries / "pg_ctl"), "-D", primary, "-o", options, "-l",
        str(folder / "primary.log"), "-w", "start")  # fmt: skip
    try:
        admin = create_engine(
            pair.primary_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {DATABASE}"))
        admin.dispose()
        store = make_engine(pair.primary_url)
        upgrade(store)
        store.dispose()
        run(str(binaries / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port),
            "-U", user, "-D", str(folder / "replica"), "-R", "-X", "stream",
            "-c", "fast", "--no-sync")  # fmt: skip
        pair.start_replica()
        yield pair
    finally:
        for data in ("replica", "primary"):
            subprocess.run(
                [*prefix, str(binaries / "pg_ctl"), "-D", str(folder / data), "-m", "immediate",
                 "stop"], capture_output=True, check=False,
            )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
