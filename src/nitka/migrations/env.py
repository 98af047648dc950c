"""Alembic environment: the engine comes from Nitka, never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from nitka.store.tables import metadata

engine: Engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=engine.dialect.name == "sqlite",
    )
    context.run_migrations()
