"""A laptop's offline copy for the tests: ``nitka offline ...`` run as its own process
against a running server (``tests.web.serving``), the copy a SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from nitka.offline import origin
from nitka.offline.origin import Origin
from nitka.store.db import make_engine
from nitka.store.tables import statement


@dataclass
class Laptop:
    """A copy at ``path`` and the token of the account it is for."""

    path: Path
    token: str

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def environment(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "NITKA_DATABASE_URL": self.url,
            "NITKA_OFFLINE_TOKEN": self.token,
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
            **extra,
        }

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "nitka.cli.main", *args]

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        """Run ``nitka ARGS`` on the copy; returns the finished process."""
        return subprocess.run(
            self.command(*args),
            env=self.environment(**extra),
            capture_output=True,
            text=True,
            timeout=300,
        )

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command(*args),
            env=self.environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    @contextmanager
    def opened(self) -> Iterator[Engine]:
        engine = make_engine(self.url)
        try:
            yield engine
        finally:
            engine.dispose()

    def origin(self) -> Origin:
        with self.opened() as engine, engine.connect() as conn:
            found = origin.read(conn)
        assert found is not None
        return found

    def held(self) -> dict[str, set[tuple[str, str]]]:
        """Per entity the copy holds: its (dataset, case) sources."""
        with self.opened() as engine, engine.connect() as conn:
            rows = conn.execute(
                select(statement.c.canonical_id, statement.c.dataset, statement.c.case_id)
            ).all()
        found: dict[str, set[tuple[str, str]]] = {}
        for canonical_id, dataset, case_id in rows:
            found.setdefault(canonical_id, set()).add((dataset, case_id or ""))
        return found


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].split(" ", 1)[1]
