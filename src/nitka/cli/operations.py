"""``nitka backup`` and ``nitka restore``: the whole store to one file and back."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.cli.context import (
    ACTOR,
    PURPOSE,
    administering,
    fail,
    login_name,
    new_engine,
    open_store,
    origin,
    settings,
    stdout,
)
from nitka.operations.manifest import BackupError, described
from nitka.services import operations
from nitka.store.migrate import is_current


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)


def backup_command(
    ctx: typer.Context,
    out: Path = typer.Argument(..., metavar="OUT", help="The backup file to write."),
) -> None:
    """Back up the store to one file, while Nitka runs (docs/backup.md).

    SQLite: a consistent snapshot through SQLite's online backup API; PostgreSQL:
    pg_dump in the custom format. The file holds a manifest (Nitka's version, the
    schema revision, the counts of every table, the payload's SHA-256) and is
    written under a temporary name, renamed only when complete and checked.
    """
    engine = open_store(ctx)
    who = administering(ctx, engine, Action.EXPORT, {"backup": str(out)})
    try:
        manifest = operations.backup(engine, who, out)
    except BackupError as error:
        fail(f"backup failed: {error}")
    stdout.print(
        f"backed up {settings(ctx).database_url} to {out}: schema revision {manifest.revision}, "
        f"{manifest.size:,} bytes, {described(manifest.counts)}; SHA-256 {manifest.sha256}",
        highlight=False,
    )


def restore_command(
    ctx: typer.Context,
    source: Path = typer.Argument(..., metavar="IN", help="A backup made by `nitka backup`."),
    force: bool = typer.Option(
        False, "--force", help="Replace a store that holds anything (it is lost)."
    ),
) -> None:
    """Restore a backup into the store, checked, whole or not at all (docs/backup.md).

    Refuses a store that is not empty unless --force, a backup of the other
    database, and one made by a newer Nitka (a schema revision this one does not
    know); a backup of an older schema is upgraded. Ends by verifying the audit
    chain and the counts of every table against the backup's manifest. Stop the
    servers that use the store first.
    """
    engine = new_engine(ctx)
    try:
        who = _restorer(ctx, engine)
        restored = operations.restore(engine, who, source, force=force)
    except BackupError as error:
        fail(
            f"restore refused: {error}" if error.field in _REFUSALS else f"restore failed: {error}"
        )
    except OperationalError as error:
        fail(f"restore failed: cannot use the store at {settings(ctx).database_url}: {error.orig}")
    manifest = restored.manifest
    upgraded = (
        f", upgraded to {restored.revision}" if restored.revision != manifest.revision else ""
    )
    replaced = f"; replaced {described(restored.replaced)}" if restored.replaced else ""
    stdout.print(
        f"restored {source} (made {manifest.created_at} by Nitka {manifest.nitka_version}) "
        f"into {settings(ctx).database_url}: schema revision {manifest.revision}{upgraded}; "
        f"{described(manifest.counts, limit=len(manifest.counts))}{replaced}",
        highlight=False,
    )
    stdout.print(
        f"checked: the counts of {len(manifest.counts)} tables match the manifest, and the "
        f"audit trail is intact ({restored.audit_records:,} records, and one for this restore)",
        highlight=False,
    )


_REFUSALS = frozenset({"--force", "revision", "backend", "format", "sha256", "IN"})


def _restorer(ctx: typer.Context, engine: Engine) -> Actor:
    """Who restores: on a Nitka store of this version, as for any administration
    (``administering``); on an empty, missing or other store, the local operator
    who holds its credentials."""
    try:
        current = is_current(engine)
    except Exception:  # an unreadable store is not a current one
        current = False
    if current:
        return administering(ctx, engine, Action.CHANGE, {"restore": "store"})
    meta = ctx.find_root().meta
    name = meta.get(ACTOR) or login_name()
    return Actor.operator(name, origin=origin(), purpose=str(meta.get(PURPOSE, "")))
