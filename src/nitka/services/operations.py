"""Backup and restore of the whole store (``nitka backup``, ``nitka restore``).

Unlike the other services these take the engine, not the caller's connection:
a backup reads a snapshot of its own after its audit record is committed (so
that the backup holds the record of its making), and a restore replaces the
store that any connection would be part of. Only an administrator (or, in
development mode and while a store is being set up, the local operator who
holds the store's credentials) does either.

A backup is recorded as an export of the whole store (``who_saw`` any entity
finds it); a failed one is recorded as failed, where the store can take the
record. A restore's record is written into the restored store, in the same
step that puts it in place, naming the backup and what the store held before;
a refused restore is recorded in the store it would have replaced, if that is
a Nitka store of this version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from nitka.access.actor import Actor
from nitka.access.audit import WHOLE_STORE, Action, Outcome
from nitka.operations import backup as backing_up
from nitka.operations import restore as restoring
from nitka.operations.manifest import BackupError, Manifest
from nitka.services.guard import ADMINISTRATORS, audit, require, transaction
from nitka.store.migrate import is_current

OPERATORS = ADMINISTRATORS
"""Who backs up and restores the store."""


def backup(engine: Engine, actor: Actor, out: Path) -> Manifest:
    """Write a backup of the store to ``out``, recorded as an export of the whole store."""
    subject: dict[str, Any] = {"backup": str(out), "scope": WHOLE_STORE}
    with transaction(engine) as conn:
        require(conn, actor, OPERATORS, Action.EXPORT, subject)
        audit(conn, actor, Action.EXPORT, subject)
    try:
        return backing_up.backup(engine, out)
    except BackupError as error:
        _record_failure(engine, actor, Action.EXPORT, {"backup": str(out)}, error)
        raise


def restore(engine: Engine, actor: Actor, source: Path, *, force: bool) -> restoring.Restored:
    """Replace the store with the backup at ``source``, checked; refused over a store
    that holds anything unless ``force``."""
    subject: dict[str, Any] = {"restore": str(source), "force": force}
    if _current(engine):
        with transaction(engine) as conn:
            require(conn, actor, OPERATORS, Action.CHANGE, subject)

    def record(conn: Connection, manifest: Manifest, replaced: dict[str, int]) -> None:
        made = {
            "revision": manifest.revision,
            "created_at": manifest.created_at,
            "nitka_version": manifest.nitka_version,
            "sha256": manifest.sha256,
            "source": manifest.source,
        }
        audit(conn, actor, Action.CHANGE, {**subject, "backup": made, "replaced": replaced})

    try:
        return restoring.restore(engine, source, force=force, record=record)
    except BackupError as error:
        _record_failure(engine, actor, Action.CHANGE, subject, error)
        raise


def _record_failure(
    engine: Engine, actor: Actor, action: Action, subject: dict[str, Any], error: BackupError
) -> None:
    """Record a refused or failed operation in the store, if it is one that can take it."""
    outcome = (
        Outcome.REFUSED if error.field in ("--force", "revision", "backend") else Outcome.FAILED
    )
    try:
        if not _current(engine):
            return
        with engine.begin() as conn:
            audit(conn, actor, action, {**subject, "error": error.message}, outcome=outcome)
    except Exception:  # the operation's own error is what the caller must see
        return


def _current(engine: Engine) -> bool:
    try:
        return is_current(engine)
    except Exception:  # a store that cannot be read is not current
        return False
