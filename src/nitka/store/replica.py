"""Reads on a PostgreSQL streaming replica, writes on the primary (docs/replica.md).

``Reads`` hands out the connection a read's query work runs on: the replica's
when one is configured, reachable, not lagging beyond its bound and (for a
read that follows the same user's write) has replayed that write; the
primary's otherwise. The audit record of a read is never written here: the
service writes it on the caller's primary connection, as for every action.

Read-your-writes: after a write the caller takes the primary's WAL position
(``written``); a later read given that position waits on the replica until
``pg_last_wal_replay_lsn()`` has passed it, up to ``wait_seconds``, then reads
from the primary instead. A replica that fails or lags beyond
``max_lag_seconds`` is skipped for ``retry_seconds`` and tried again after;
each skip logs one warning, which names no user and no data.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from nitka.settings import Settings
from nitka.store.db import make_engine

_log = logging.getLogger(__name__)
GONE, CANCELLED = "gone", "cancelled"
T = TypeVar("T")
_LSN = re.compile(r"^([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})$")
CONNECT_SECONDS = 2
"""How long connecting to the replica may take before it counts as unreachable."""
POLL_SECONDS = 0.005
"""How often a read that waits for its user's write asks the replica how far it is."""

# Lag as the replica knows it: nothing received is left to replay, or the age of the
# last transaction replayed. NULL when the server is not in recovery (promoted, or
# not a replica at all): it is skipped.
_STATE = (
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
    "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def parse_lsn(text: str | None) -> int | None:
    """A WAL position written as PostgreSQL writes it (``16/B374D848``), as a number;
    None for nothing or anything else (a position comes back from clients)."""
    found = _LSN.match(text or "")
    if found is None:
        return None
    return (int(found.group(1), 16) << 32) + int(found.group(2), 16)


def format_lsn(lsn: int) -> str:
    return f"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}"


class Reads:
    """Where reads go: the primary alone, or a replica with the primary behind it."""

    def __init__(
        self,
        primary: Engine,
        replica: Engine | None = None,
        *,
        wait_seconds: float = 1.0,
        max_lag_seconds: float = 5.0,
        retry_seconds: float = 10.0,
        check_seconds: float = 1.0,
    ) -> None:
        self.primary = primary
        self.replica = replica
        self.wait_seconds = wait_seconds
        self.max_lag_seconds = max_lag_seconds
        self.retry_seconds = retry_seconds
        self.check_seconds = check_seconds
        """How often the replica's lag is measured (a read between two checks trusts the
        last one)."""
        self.served: Counter[str] = Counter()
        """Reads served by each server (``replica``, ``primary``) and why reads went to
        the primary (``waited``: a user's write not yet replayed in time; ``skipped``:
        the replica was down or lagging; ``rerun``: it failed under a read, which ran
        again on the primary): for tests and metrics."""
        self._lock = threading.Lock()
        self._skip_until = 0.0
        self._checked_at = -float("inf")

    @classmethod
    def of(cls, primary: Engine, settings: Settings) -> Reads:
        """The reads of a server configured by ``settings`` (``NITKA_READ_DATABASE_URL``
        and its bounds); with no replica configured, every read is the primary's."""
        url = settings.read_database_url
        return cls(
            primary,
            make_engine(url, connect_timeout=CONNECT_SECONDS) if url else None,
            wait_seconds=settings.read_wait_seconds,
            max_lag_seconds=settings.read_max_lag_seconds,
            retry_seconds=settings.read_retry_seconds,
        )

    def written(self) -> int | None:
        """The primary's WAL position now: taken after a write has committed, a read
        given it sees that write. None without a replica (there is nothing to wait for)."""
        if self.replica is None:
            return None
        with self.primary.connect() as conn:
            return parse_lsn(conn.exec_driver_sql("SELECT pg_current_wal_lsn()::text").scalar())

    @contextmanager
    def connect(self, after: int | None = None) -> Iterator[Connection]:
        """A connection for a read's query work: the replica's if it may serve a read
        that must see the WAL position ``after`` (the reader's last write), else a new
        one on the primary. Nothing is written on a replica's connection."""
        conn = self._replica_connection(after)
        if conn is None:
            self.served["primary"] += 1
            with self.primary.connect() as conn:
                yield conn
            return
        self.served["replica"] += 1
        try:
            yield conn
        except DBAPIError as error:
            if _fault(error) == GONE:
                self._skip("the replica failed during a read")
            raise
        finally:
            conn.close()

    def run(
        self,
        work: Callable[[Connection], T],
        after: int | None = None,
        *,
        primary: Connection | None = None,
    ) -> T:
        """``work`` on the replica's connection if it may serve the read (as ``connect``),
        else on ``primary`` (the caller's transaction) or a new connection to the primary.
        If the replica fails under it, or cancels it (a conflict with what it replays),
        ``work`` runs again on the primary: a replica going away costs the user no error.
        ``work`` must write nothing before its reading is done, so that running it twice
        writes one audit record: the services' reads write theirs last."""
        replica = self._replica_connection(after)
        if replica is not None:
            self.served["replica"] += 1
            try:
                return work(replica)
            except DBAPIError as error:
                fault = _fault(error)
                if fault is None:
                    raise
                if fault == GONE:
                    self._skip("the replica failed during a read")
                self.served["rerun"] += 1
            finally:
                replica.close()
        self.served["primary"] += 1
        if primary is not None:
            return work(primary)
        with self.primary.connect() as conn:
            return work(conn)

    def lag(self) -> float | None:
        """The replica's replay lag in seconds, measured now; None if it cannot say."""
        if self.replica is None:
            return None
        try:
            with self.replica.connect() as conn:
                recovering, _, lag = conn.exec_driver_sql(_STATE).one()
        except DBAPIError:
            return None
        return float(lag) if recovering else None

    def _usable_now(self) -> bool:
        return self.replica is not None and time.monotonic() >= self._skip_until

    def _replica_connection(self, after: int | None) -> Connection | None:
        if self.replica is None or not self._usable_now():
            if self.replica is not None:
                self.served["skipped"] += 1
            return None
        try:
            conn = self.replica.connect()
        except DBAPIError:
            self._skip("the replica cannot be reached")
            self.served["skipped"] += 1
            return None
        try:
            if self._ready(conn, after):
                return conn
        except DBAPIError:
            self._skip("the replica failed to answer")
            self.served["skipped"] += 1
        conn.close()
        return None

    def _ready(self, conn: Connection, after: int | None) -> bool:
        """Whether this replica connection may serve the read: the lag within bounds
        (measured at most every ``check_seconds``), and ``after`` replayed, waited for
        up to ``wait_seconds``."""
        now = time.monotonic()
        if after is None and now - self._checked_at < self.check_seconds:
            return True
        deadline = now + self.wait_seconds
        while True:
            recovering, replayed, lag = conn.exec_driver_sql(_STATE).one()
            conn.rollback()  # each poll in a snapshot of its own
            if not recovering:
                self._skip("the read database is not a replica in recovery")
                self.served["skipped"] += 1
                return False
            with self._lock:
                self._checked_at = time.monotonic()
            if float(lag) > self.max_lag_seconds:
                self._skip(f"the replica lags {float(lag):.1f} s behind")
                self.served["skipped"] += 1
                return False
            position = parse_lsn(replayed)
            if after is None or (position is not None and position >= after):
                return True
            if time.monotonic() >= deadline:
                self.served["waited"] += 1
                return False
            time.sleep(POLL_SECONDS)

    def _skip(self, why: str) -> None:
        with self._lock:
            if time.monotonic() < self._skip_until:
                return
            self._skip_until = time.monotonic() + self.retry_seconds
        _log.warning("%s: reads go to the primary for %g s", why, self.retry_seconds)


def _fault(error: DBAPIError) -> str | None:
    """The replica's part in a failed read: ``GONE`` (the server went away under it),
    ``CANCELLED`` (it cancelled the query to replay the primary's changes), or None
    (a fault of the query, which the primary would answer no better)."""
    code = getattr(error.orig, "sqlstate", None) or ""
    # 08: connection exceptions; 57P: the server shut down (admin, crash, cannot connect).
    if error.connection_invalidated or code.startswith(("08", "57P")):
        return GONE
    # 40001 and 40P01: a query cancelled by a conflict with recovery (hot standby).
    if code in ("40001", "40P01"):
        return CANCELLED
    return None
