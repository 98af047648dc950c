"""Nitka's settings: one class, one environment prefix (``NITKA_``).

Settings are created where the program starts (the CLI, later the web app) and
passed down; nothing reads the environment at import time.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///nitka.db"


class Settings(BaseSettings):
    """Every setting can be given as an environment variable ``NITKA_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="NITKA_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description=(
            "Where the store lives: a SQLite file (the embedded default, "
            "`sqlite:///nitka.db`) or a PostgreSQL server "
            "(`postgresql+psycopg://user:password@host/dbname`)."
        ),
    )
    batch_size: int | None = Field(
        default=None,
        ge=1,
        description=(
            "Records per ingest batch; each batch is one transaction. By default "
            "100,000 on SQLite and 50,000 on PostgreSQL, the fastest sizes measured."
        ),
    )
