"""Create or upgrade the store through its one Alembic history.

Nitka only ever upgrades a store. A store whose revision this Nitka does not
know was made or upgraded by a newer Nitka: ``refuse_unknown`` stops every
command that opens it (and ``upgrade`` itself) before anything is written,
naming the store's revision and the newest this one knows. No command runs a
migration's ``downgrade()``; going back means restoring the backup made before
the upgrade (docs/upgrades.md).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from nitka.errors import NitkaError

MIGRATIONS = Path(__file__).parent.parent / "migrations"
"""The Alembic history (``nitka/migrations``). It lies beside the packages, not in
``store``: a migration may rebuild data with any layer's code (0005 rebuilds search
rows), and nothing imports it; Alembic loads it by path."""

REVISION_FIELD = "schema revision"


class UnknownRevisionError(NitkaError):
    """The store is at a revision this Nitka does not know: a newer Nitka wrote it."""

    def __init__(self, found: str, newest: str) -> None:
        super().__init__(
            f"the store is at schema revision {found}, which this Nitka does not know "
            f"(the newest it knows is {newest}): a newer Nitka made or upgraded it. "
            "Nitka never downgrades a store, and has changed nothing: run the newer "
            "Nitka, or restore the backup made before the upgrade with `nitka restore` "
            "(see docs/upgrades.md)",
            field=REVISION_FIELD,
        )
        self.found = found
        self.newest = newest


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


@cache
def history() -> tuple[str, ...]:
    """Every revision this Nitka knows, oldest first (read from the Alembic history,
    so a new migration is in it without being named anywhere else)."""
    script = ScriptDirectory.from_config(alembic_config())
    return tuple(reversed([revision.revision for revision in script.walk_revisions()]))


def upgrade(engine: Engine) -> str:
    """Bring the store to the newest schema; returns the revision it is at.

    Raises ``UnknownRevisionError``, before writing anything, for a store that a
    newer Nitka upgraded."""
    refuse_unknown(engine)
    config = alembic_config(engine)
    command.upgrade(config, "head")
    return current_revision(engine) or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def current_heads(engine: Engine) -> tuple[str, ...]:
    """The revisions the store says it is at (none for a store not yet created)."""
    with engine.connect() as conn:
        return tuple(MigrationContext.configure(conn).get_current_heads())


def head_revision(engine: Engine | None = None) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def refuse_unknown(engine: Engine) -> None:
    """Raise ``UnknownRevisionError`` if the store is at a revision this Nitka does not
    know. Reads only: a store made by a newer Nitka is left as it is."""
    known = set(history())
    for found in current_heads(engine):
        if found not in known:
            raise UnknownRevisionError(found, history()[-1])


def is_current(engine: Engine) -> bool:
    """True when the store exists and is at the newest revision."""
    return current_revision(engine) == head_revision(engine)
