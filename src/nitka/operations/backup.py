"""``nitka backup``: a consistent snapshot of a running store in one checked file."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text

from nitka import __version__
from nitka.operations.archive import partial_name, space_message, write_backup
from nitka.operations.manifest import PAYLOADS, BackupError, Manifest, sha256_of, table_counts
from nitka.operations.pg_tools import connection_env, die_with_parent, exit_reason, find_tool


def backup(engine: Engine, out: Path) -> Manifest:
    """Write a backup of the store to ``out``: whole and checked, or nothing."""
    out = out.absolute()
    if out.is_dir():
        raise BackupError(f"{out} is a folder: name the backup file to write", field="OUT")
    if not out.parent.is_dir():
        raise BackupError(f"no folder {out.parent} to write the backup in", field="OUT")
    payload = partial_name(out).with_suffix(".payload")
    _remove(payload)  # left by a run killed with -9
    try:
        if engine.dialect.name == "sqlite":
            revision, counts = _sqlite_copy(engine, payload)
        else:
            revision, counts = _pg_dump(engine, payload)
        manifest = Manifest(
            nitka_version=__version__,
            revision=revision,
            backend=engine.dialect.name,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            counts=counts,
            payload=PAYLOADS[engine.dialect.name],
            sha256=sha256_of(payload),
            size=payload.stat().st_size,
            source=engine.url.render_as_string(hide_password=True),
        )
        write_backup(out, manifest, payload)
        return manifest
    finally:
        _remove(payload)


def _remove(payload: Path) -> None:
    """The payload, and the journal SQLite keeps beside a copy it is writing."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        payload.with_name(payload.name + suffix).unlink(missing_ok=True)


def store_revision(conn: Connection) -> str:
    try:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:
        revision = None
    if not revision:
        raise BackupError(
            "the store is not set up (no schema revision): nothing to back up", field="store"
        )
    return str(revision)


def _sqlite_copy(engine: Engine, payload: Path) -> tuple[str, dict[str, int]]:
    """SQLite's online backup API, in one step: a consistent snapshot taken under a
    read lock, while writers go on (WAL). The copy is then made a single file."""
    database = engine.url.database
    if not database or database == ":memory:" or not Path(database).exists():
        raise BackupError(f"no SQLite store at {engine.url}", field="store")
    source = sqlite3.connect(database, timeout=30)
    target = sqlite3.connect(payload)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as error:
        if "full" in str(error) or "disk" in str(error):
            message = space_message(OSError(28, str(error)), payload.parent)
            raise BackupError(message or str(error), field="OUT") from error
        raise
    finally:
        target.close()
        source.close()
    copy = create_engine(f"sqlite:///{payload}")
    try:
        with copy.connect() as conn:
            return store_revision(conn), table_counts(conn)
    finally:
        copy.dispose()


def _pg_dump(engine: Engine, payload: Path) -> tuple[str, dict[str, int]]:
    """``pg_dump`` in the custom format, from a snapshot this connection exports and
    counts in, so that the counts are those of the rows dumped."""
    pg_dump = find_tool("pg_dump")
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            revision, counts = store_revision(conn), table_counts(conn)
            url = engine.url.render_as_string(hide_password=False)
            with connection_env(url) as env:
                done = subprocess.run(
                    [
                        str(pg_dump),
                        "--format=custom",
                        "--compress=1",
                        f"--snapshot={snapshot}",
                        "--no-owner",
                        "--no-privileges",
                        f"--file={payload}",
                    ],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    preexec_fn=die_with_parent,
                    check=False,
                )
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()
        if "No space left" in said or "File too large" in said or done.returncode == -25:
            message = space_message(OSError(28, "No space left on device"), payload.parent)
            raise BackupError(f"{message} (pg_dump: {exit_reason(done.returncode)})", field="OUT")
        raise BackupError(
            f"pg_dump failed ({exit_reason(done.returncode)}): {said or 'no message'}",
            field="pg_dump",
        )
    return revision, counts
