"""Keeping a SQLite store's write-ahead log short while the check log's writer commits.

The store checkpoints its log once it holds 256 MiB (``nitka.store.db``),
which suits an ingest. A writer committing a few rows hundreds of times a
second would then keep a log of hundreds of megabytes, which every reader
(the workers' document lookups) searches, and stop for a quarter of a
second, every request waiting for its log, while it copies the log back.
So the writer's commits leave the log alone. A thread copies what has been
committed every ``every`` seconds, beside the commits; then the writer,
between two groups, copies the little committed meanwhile, so that its next
transaction finds the log all copied and starts it afresh (SQLite rewinds
the log only then).
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from sqlalchemy import Connection, Engine, event

CHECKPOINT_SECONDS = 0.5


class Checkpointer:
    def __init__(self, engine: Engine, every: float = CHECKPOINT_SECONDS) -> None:
        self.engine = engine
        self.every = every
        self._copied = threading.Event()
        event.listen(engine, "connect", _no_checkpoint_on_commit)
        threading.Thread(target=self._run, name="nitka-checkpoint", daemon=True).start()

    def _run(self) -> None:
        while True:
            time.sleep(self.every)
            with contextlib.suppress(Exception), self.engine.connect() as conn:
                _checkpoint(conn)
                self._copied.set()

    def catch_up(self, conn: Connection) -> None:
        """Between groups: copy what was committed since the thread's last copy."""
        if self._copied.is_set():
            self._copied.clear()
            _checkpoint(conn)


def _no_checkpoint_on_commit(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def _checkpoint(conn: Connection) -> None:
    # On the driver's connection: SQLite runs a checkpoint outside any
    # transaction, and SQLAlchemy's connection then stays as it was.
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA wal_checkpoint(PASSIVE)")
