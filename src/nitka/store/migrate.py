"""Create or upgrade the store through its one Alembic history."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent.parent / "migrations"
"""The Alembic history (``nitka/migrations``). It lies beside the packages, not in
``store``: a migration may rebuild data with any layer's code (0005 rebuilds search
rows), and nothing imports it; Alembic loads it by path."""


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> str:
    """Bring the store to the newest schema; returns the revision it is at."""
    config = alembic_config(engine)
    command.upgrade(config, "head")
    return current_revision(engine) or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def is_current(engine: Engine) -> bool:
    """True when the store exists and is at the newest revision."""
    return current_revision(engine) == head_revision(engine)
