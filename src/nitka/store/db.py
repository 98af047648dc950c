"""Engines, and every difference between SQLite and PostgreSQL in one place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.dialects.sqlite.base import SQLiteDialect
from sqlalchemy.engine import Connection, Dialect


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs, the driver Nitka ships with."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    return url


def make_engine(url: str, *, connect_timeout: int | None = None) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a sane busy timeout.
    ``connect_timeout``: seconds before a PostgreSQL server that does not answer
    counts as unreachable (a read replica's, ``nitka.store.replica``)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if connect_timeout is not None:
        return create_engine(
            url, pool_pre_ping=True, connect_args={"connect_timeout": connect_timeout}
        )
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A 256 MiB page cache and memory-mapped reads keep the statement indexes
    # in memory while millions of statements are ingested.
    cursor.execute("PRAGMA cache_size=-262144")
    cursor.execute("PRAGMA mmap_size=1073741824")
    cursor.execute("PRAGMA temp_store=MEMORY")
    # Checkpoint the WAL into the database every 256 MiB, not every 4 MiB:
    # an ingest batch dirties thousands of index pages, and checkpointing
    # after every batch (with its fsync) halved ingest speed.
    cursor.execute("PRAGMA wal_autocheckpoint=65536")
    cursor.close()


def positional_dialect(name: str) -> Dialect:
    """A dialect that compiles positional parameters (``?`` or ``%s``).

    Both drivers take a list of tuples for such SQL, so hot paths can pass
    their rows to ``exec_driver_sql`` as they are, the cheapest way to bind.
    """
    if name == "sqlite":
        return SQLiteDialect(paramstyle="qmark")
    return PGDialect_psycopg(paramstyle="format")  # type: ignore[no-untyped-call]


def in_marks(conn: Connection, count: int) -> str:
    """``count`` positional parameter marks, comma-separated, for SQL that goes
    to the driver as written (``exec_driver_sql``): an IN list without
    SQLAlchemy compiling the statement again for each length."""
    mark = "?" if is_sqlite(conn) else "%s"
    return ", ".join([mark] * count)


def driver_rows(conn: Connection, sql: str, params: Sequence[Any]) -> list[Any]:
    """The rows of SQL written for the driver (``in_marks``), run on the driver's
    own cursor: for lookups made hundreds of times a second while an officer
    waits, where SQLAlchemy's result objects cost more than the query. The
    connection's pool ends the driver's transaction when it is given back."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def is_sqlite(conn: Connection | Engine) -> bool:
    return conn.dialect.name == "sqlite"


def dialect_insert(conn: Connection, table: Table) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_update`` and ``excluded``."""
    return sqlite_insert(table) if is_sqlite(conn) else pg_insert(table)


def upsert(conn: Connection, table: Table, index: Sequence[str], update: Sequence[str]) -> Any:
    """An INSERT ... ON CONFLICT statement for either dialect.

    ``update`` names the columns taken from the new row on a conflict; with
    none, a conflicting row is left as it is.
    """
    insert = dialect_insert(conn, table)
    if not update:
        return insert.on_conflict_do_nothing(index_elements=list(index))
    values = {name: insert.excluded[name] for name in update}
    return insert.on_conflict_do_update(index_elements=list(index), set_=values)


def refresh_statistics(conn: Connection, tables: Sequence[str]) -> None:
    """PostgreSQL: bring the planner's row counts of these tables up to date.

    A bulk ingest grows a table from nothing to millions of rows faster than
    autovacuum analyses it; meanwhile the planner believes the table small
    and reads all of it for every lookup by canonical id (measured: 2 s per
    batch at 200,000 statements). SQLite's planner uses the indexes anyway.
    """
    if conn.dialect.name == "postgresql":
        for table in tables:
            conn.exec_driver_sql(f"ANALYZE {table}")


def flush_pending_index_entries(conn: Connection, table: str) -> None:
    """PostgreSQL: merge what a bulk write left in the GIN indexes' pending lists.

    A GIN index takes new entries into an unsorted pending list that every
    search must read through until a vacuum merges it; after an ingest, that
    made name searches several times slower (1M names: p50 21 ms instead of
    4 ms) until autovacuum came round. SQLite's FTS5 has no such list.
    """
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(
        "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index AS i "
        "JOIN pg_class AS c ON c.oid = i.indexrelid JOIN pg_am AS a ON a.oid = c.relam "
        # Only the index's owner may (as for VACUUM); a role that may only
        # write leaves the lists to autovacuum.
        "WHERE i.indrelid = %s::regclass AND a.amname = 'gin' "
        "AND pg_has_role(c.relowner, 'USAGE')",
        (table,),
    )
