"""Following the change sequence: the reading side of the after-write step.

A reader that keeps something derived from the store outside the writer's
transaction (a screening index in memory, a cache) holds a ``Follower``: the
sequence number it has taken in, taken when it loaded, so that a change made
while it loaded is read again rather than missed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.store.db import upsert
from nitka.store.outbox import Change, changes_since, last_seq, touched
from nitka.store.tables import analysis_position


@dataclass
class Follower:
    """How far one reader has read the change sequence."""

    seq: int = 0

    @classmethod
    def now(cls, conn: Connection) -> Follower:
        """The position at this moment: what a reader that loads now already holds."""
        return cls(last_seq(conn))

    def read(self, conn: Connection) -> list[Change]:
        """Every change after the position, oldest first, and move past them."""
        found: list[Change] = []
        while True:
            batch = changes_since(conn, self.seq)
            if not batch:
                return found
            found += batch
            self.seq = batch[-1].seq

    def changed(self, conn: Connection, datasets: Iterable[str] | None = None) -> list[str]:
        """The entity ids changed since the last read (``outbox.touched``), and move past them."""
        return touched(self.read(conn), datasets)


def held_position(conn: Connection, kind: str) -> int | None:
    """A stored reader's position (its row of ``analysis_position``), the row locked
    until the transaction ends (on PostgreSQL, so that two readers do not take in the
    same changes at once; SQLite serialises writers anyway); None if the reader never
    loaded."""
    conn.execute(upsert(conn, analysis_position, ["kind"], []), {"kind": kind, "seq": -1})
    query = select(analysis_position.c.seq).where(analysis_position.c.kind == kind)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    seq: int = conn.execute(query).scalar_one()
    return None if seq < 0 else seq
