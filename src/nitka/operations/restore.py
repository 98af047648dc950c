"""``nitka restore``: a backup put back whole, checked, or not at all.

The store is replaced in one step that a ``kill -9`` cannot leave half done. On
SQLite the payload is checked, upgraded and given its audit record in a file
beside the store, then copied in by SQLite's backup API, which writes the store
in one transaction. On PostgreSQL the old tables are dropped and the dump
loaded, counted and its audit chain verified in one transaction of this
connection (``pg_restore`` only turns the dump into SQL): a killed restore is
rolled back by the server.
"""

from __future__ import annotations

import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, inspect

from nitka.access.audit import verify
from nitka.operations.archive import extract_backup, read_manifest
from nitka.operations.backup import store_revision
from nitka.operations.manifest import (
    BackupError,
    Manifest,
    check_revision,
    compared,
    described,
    known_revisions,
    table_counts,
)
from nitka.operations.pg_script import load_script
from nitka.operations.pg_tools import connection_env, die_with_parent, exit_reason, find_tool
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade

BOOKKEEPING = frozenset({"audit_head"})
"""Tables a freshly made store already has a row in."""

Record = Callable[[Connection, Manifest, dict[str, int]], None]
"""Writes the restore's audit record into the restored store, before it goes live
(given the manifest and what the store held before)."""


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    revision: str
    """The store's schema revision now (newer than the backup's if it was upgraded)."""
    replaced: dict[str, int]
    """What the store held before (all zero: it was empty)."""
    audit_records: int


def held(engine: Engine) -> dict[str, int]:
    """Rows per table the store holds now, past what a new store has (nothing: empty)."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database or ""
        if not Path(database).exists():
            return {}
        engine = lean_sqlite(Path(database))
    try:
        with engine.connect() as conn:
            if "alembic_version" not in inspect(conn).get_table_names():
                others = inspect(conn).get_table_names()
                return dict.fromkeys(others, -1)
            counts = table_counts(conn)
    finally:
        if engine.dialect.name == "sqlite":
            engine.dispose()
    return {t: n for t, n in counts.items() if n and t not in BOOKKEEPING}


def lean_sqlite(path: Path) -> Engine:
    """An engine for a whole-file pass (counts, the audit chain, an upgrade) that maps
    no file into memory and keeps a small cache: the store's own engine maps up to
    1 GiB, which a read of every page would fill (measured: 1.5 GB resident)."""
    engine = make_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _lean)
    return engine


def _lean(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA mmap_size=0")
    cursor.execute("PRAGMA cache_size=-16384")
    cursor.close()


def check_fits(engine: Engine, manifest: Manifest) -> None:
    """Refuse a backup of another backend, or of a schema this Nitka does not know."""
    if manifest.backend != engine.dialect.name:
        raise BackupError(
            f"the backup is of a {manifest.backend} store and this store is "
            f"{engine.dialect.name}: restore it into a {manifest.backend} store",
            field="backend",
        )
    check_revision(manifest.revision)


def refuse_occupied(engine: Engine, force: bool) -> dict[str, int]:
    """What the store holds; refused unless ``force`` when it holds anything."""
    there = held(engine)
    if there and not force:
        words = (
            described(there)
            if all(n >= 0 for n in there.values())
            else f"tables not of a Nitka store ({', '.join(sorted(there)[:5])})"
        )
        raise BackupError(
            f"the store at {engine.url.render_as_string(hide_password=True)} is not empty "
            f"({words}): restore --force replaces it",
            field="--force",
        )
    return there


def restore(engine: Engine, path: Path, *, force: bool, record: Record) -> Restored:
    """Put the backup at ``path`` in place of the store, checked, or change nothing."""
    manifest = read_manifest(path)
    check_fits(engine, manifest)
    replaced = refuse_occupied(engine, force)
    if engine.dialect.name == "sqlite":
        return _restore_sqlite(engine, path, replaced, record)
    return _restore_postgres(engine, path, replaced, record)


def check_restored(conn: Connection, manifest: Manifest) -> int:
    """The restored rows against the manifest: revision, counts, the audit chain.
    Returns how many audit records verify."""
    revision = store_revision(conn)
    if revision != manifest.revision:
        raise BackupError(
            f"the payload is at schema revision {revision}, its manifest says "
            f"{manifest.revision}: the backup was altered",
            field="revision",
        )
    differ = compared(manifest.counts, table_counts(conn))
    if differ:
        raise BackupError(
            "the restored rows differ from the manifest's counts (" + "; ".join(differ[:5]) + ")",
            field="counts",
        )
    found = verify(conn)
    if not found.intact:
        raise BackupError(
            f"the backup's audit trail is broken at record {found.broken_at}: {found.problems[0]}",
            field="audit",
        )
    return found.records


def _restore_sqlite(
    engine: Engine, path: Path, replaced: dict[str, int], record: Record
) -> Restored:
    database = Path(engine.url.database or "")
    if not database.name or str(database) == ":memory:":
        raise BackupError(f"no SQLite file to restore into at {engine.url}", field="store")
    if not database.parent.is_dir():
        raise BackupError(f"no folder {database.parent} for the store", field="store")
    staging = database.with_name(database.name + ".restoring")
    for left in (staging, *_sidecars(staging)):
        left.unlink(missing_ok=True)  # left by a run killed with -9
    try:
        manifest = extract_backup(path, staging)
        staged = lean_sqlite(staging)
        try:
            with staged.connect() as conn:
                records = check_restored(conn, manifest)
            revision = manifest.revision
            if revision != known_revisions().get_current_head():
                revision = upgrade(staged)
            with staged.begin() as conn:
                record(conn, manifest, replaced)
        finally:
            staged.dispose()
        engine.dispose()
        _copy_into(staging, database)
        return Restored(manifest, revision, replaced, records)
    finally:
        for left in (staging, *_sidecars(staging)):
            left.unlink(missing_ok=True)


def _sidecars(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _copy_into(staging: Path, database: Path) -> None:
    """SQLite's backup API from the checked copy into the store: one write transaction
    on the store, which a kill rolls back, and which readers of the store see at once."""
    source = sqlite3.connect(staging)
    target = sqlite3.connect(database, timeout=30)
    try:
        source.backup(target)
        target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        target.close()
        source.close()


def _restore_postgres(
    engine: Engine, path: Path, replaced: dict[str, int], record: Record
) -> Restored:
    pg_restore = find_tool("pg_restore")
    with tempfile.TemporaryDirectory(prefix="nitka-restore-") as folder:
        payload = Path(folder) / "store.pgdump"
        manifest = extract_backup(path, payload)
        url = engine.url.render_as_string(hide_password=False)
        with connection_env(url) as env, engine.connect() as conn:
            errors = Path(folder) / "pg_restore.log"
            with (
                errors.open("wb") as log,
                subprocess.Popen(
                    [str(pg_restore), "--no-owner", "--no-privileges", "--file=-", str(payload)],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    preexec_fn=die_with_parent,
                ) as script,
            ):
                try:
                    with conn.begin():
                        _clear(conn)
                        assert script.stdout is not None
                        load_script(conn, script.stdout)
                        code = script.wait()
                        if code != 0:
                            said = errors.read_text(errors="replace").strip() or "no message"
                            raise BackupError(
                                f"pg_restore failed ({exit_reason(code)}): {said}",
                                field="pg_restore",
                            )
                        conn.exec_driver_sql("RESET ALL")
                        records = check_restored(conn, manifest)
                        record(conn, manifest, replaced)
                finally:
                    if script.poll() is None:
                        script.kill()
    revision = manifest.revision
    if revision != known_revisions().get_current_head():
        try:
            revision = upgrade(engine)
        except Exception as error:
            raise BackupError(
                f"the backup was restored at schema revision {manifest.revision}, but "
                f"upgrading it failed: {error}; run `nitka init` to try again",
                field="revision",
            ) from error
    return Restored(manifest, revision, replaced, records)


_OBJECTS = """
SELECT c.relkind, c.relname FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
"""
_FUNCTIONS = """
SELECT p.oid::regprocedure::text FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = current_schema()
AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""
_TYPES = """
SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0
AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
"""
_DROP = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE",
         "f": "FOREIGN TABLE"}  # fmt: skip


def _clear(conn: Connection) -> None:
    """Drop the store's tables, views, sequences, functions and types (not the
    extensions: the dump makes them only if missing), in the restore's transaction."""
    quote = conn.dialect.identifier_preparer.quote
    for kind, name in conn.exec_driver_sql(_OBJECTS).all():
        conn.exec_driver_sql(f"DROP {_DROP[kind]} IF EXISTS {quote(name)} CASCADE")
    for (signature,) in conn.exec_driver_sql(_FUNCTIONS).all():
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
    for (name,) in conn.exec_driver_sql(_TYPES).all():
        conn.exec_driver_sql(f"DROP TYPE IF EXISTS {quote(name)} CASCADE")
