"""Fresh databases for a benchmark run: a SQLite file, or a new database on a PostgreSQL server."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from tests.postgres import temporary_server


class Databases:
    """Hands out empty databases; starts one PostgreSQL server for the whole run."""

    def __init__(self, stack: ExitStack, postgres_url: str | None = None) -> None:
        self._stack = stack
        self._postgres = postgres_url
        self._folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="nitka-bench-")))

    @contextmanager
    def fresh(self, backend: str) -> Iterator[str]:
        if backend == "sqlite":
            path = self._folder / f"{uuid.uuid4().hex}.db"
            yield f"sqlite:///{path}"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        if self._postgres is None:
            self._postgres = self._stack.enter_context(temporary_server())
        admin = create_engine(self._postgres, isolation_level="AUTOCOMMIT")
        name = f"bench_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        try:
            yield self._postgres.rsplit("/", 1)[0] + f"/{name}"
        finally:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()
