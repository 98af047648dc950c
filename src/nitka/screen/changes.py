"""Changes to the watch lists that every screening process takes in.

Each screening process (a worker of ``nitka serve``, a ``nitka screen`` run)
holds its own index in memory. A change made elsewhere, a withdrawal by
``nitka withdraw`` or a refresh request after an ingest, is a row in the
store; a process reads the rows it has not seen yet and re-reads the
entities they name. The rows are append-only, so a process only needs to
remember the last id it read.

A dataset screened against is registered as a watch list (``watch``); an
ingest into it files refresh requests for the persons and organisations it
touched in each batch's own transaction (``held_entities``), so running
services take in a new notice without being told. Documents and vehicles
need none: they are looked up in the store at each check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from followthemoney import model
from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from nitka.store.tables import list_refresh, list_withdrawal, watch_list

POLL_SECONDS = 1.0
KEEP_DAYS = 7
"""Refresh requests older than this are removed as new ones are filed."""
RELOAD_AFTER_SECONDS = 6 * 24 * 3600.0
"""A process that has not read the feed for this long may have missed requests
removed since: it loads its lists again instead (``Screener.catch_up``)."""
"""How often a screening process looks for changes: a withdrawn notice stops
hitting everywhere within about this long."""


HELD_SCHEMA_NAMES = frozenset(
    schema.name for schema in model.schemata.values() if schema.is_a("LegalEntity")
)
"""Schemata the screening index holds in memory (see ``nitka.screen.lists``)."""


def watch(conn: Connection, datasets: Iterable[str]) -> None:
    """Register datasets as watch lists (once; later calls change nothing)."""
    known = set(conn.execute(select(watch_list.c.dataset)).scalars())
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [{"dataset": d, "first_screened_at": now} for d in dict.fromkeys(datasets)]
    fresh = [row for row in rows if row["dataset"] not in known]
    if fresh:
        conn.execute(insert(watch_list), fresh)


def is_watched(conn: Connection, dataset: str) -> bool:
    found = conn.execute(select(watch_list.c.dataset).where(watch_list.c.dataset == dataset))
    return found.first() is not None


def held_entities(rows: Iterable[Sequence[object]]) -> set[str]:
    """Canonical ids of the persons and organisations among statement rows
    (``nitka.store.writer.statement_values``): what an index holds in memory."""
    return {str(row[2]) for row in rows if row[3] in HELD_SCHEMA_NAMES}


def request_refresh(conn: Connection, entity_ids: Iterable[str]) -> int:
    """Ask every screening process to re-read these entities; the caller commits."""
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [{"entity_id": entity_id, "created_at": now} for entity_id in dict.fromkeys(entity_ids)]
    if rows:
        conn.execute(insert(list_refresh), rows)
        prune_refreshes(conn, now - timedelta(days=KEEP_DAYS))
    return len(rows)


def prune_refreshes(conn: Connection, before: datetime) -> int:
    """Remove refresh requests filed before ``before`` (naive UTC); every process
    that could still need them reloads its lists instead."""
    done = conn.execute(delete(list_refresh).where(list_refresh.c.created_at < before))
    return int(done.rowcount or 0)


@dataclass
class ChangeFeed:
    """How far one process has read the change tables."""

    refreshes_seen: int = 0
    withdrawals_seen: int = 0

    @classmethod
    def now(cls, conn: Connection) -> ChangeFeed:
        """The position at this moment: what a freshly loaded index already holds."""
        return cls(_last_id(conn, list_refresh.c.id), _last_id(conn, list_withdrawal.c.id))

    def read(self, conn: Connection) -> list[str]:
        """The entity ids changed since the last read, and move past them."""
        refreshed, self.refreshes_seen = _since(conn, list_refresh, self.refreshes_seen)
        withdrawn, self.withdrawals_seen = _since(conn, list_withdrawal, self.withdrawals_seen)
        return list(dict.fromkeys(refreshed + withdrawn))


def _since(conn: Connection, table: Table, seen: int) -> tuple[list[str], int]:
    """Entity ids of the table's rows after ``seen``, and the last row id read."""
    rows = conn.execute(
        select(table.c.id, table.c.entity_id).where(table.c.id > seen).order_by(table.c.id)
    ).all()
    return [entity_id for _, entity_id in rows], (rows[-1][0] if rows else seen)


def _last_id(conn: Connection, column: ColumnElement[int]) -> int:
    found: int | None = conn.execute(select(func.max(column))).scalar()
    return found or 0
