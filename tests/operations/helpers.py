"""Running ``nitka backup`` and ``nitka restore`` as a user would: the real CLI in a
process of its own, which a test may kill."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import tarfile
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine

from nitka.access.audit import Action, AuditEvent, append, verify
from nitka.operations.manifest import table_counts
from nitka.store.db import make_engine

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "nitka.cli.main"]


def cli_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NITKA_")}
    env.update(
        NITKA_DATABASE_URL=url,
        NITKA_USER="operator",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    return env


def nitka(
    url: str, *args: str, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        env=cli_env(url),
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=preexec,
        check=False,
    )


def start(url: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*CLI, *args],
        env=cli_env(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def limit_file_size(size: int) -> Callable[[], None]:
    """A child's file size limit: a write past it fails as on a full disk."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return table_counts(conn)
    finally:
        engine.dispose()


def trail_intact(url: str) -> int:
    """How many records the audit chain holds; fails the test if it is broken."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = verify(conn)
    finally:
        engine.dispose()
    assert found.intact, found.problems
    return found.records


def add_audit_records(engine: Engine, count: int, actor: str = "analyst") -> None:
    with engine.begin() as conn:
        for n in range(count):
            append(
                conn, AuditEvent(actor=actor, action=Action.VIEW, origin="test", subject={"n": n})
            )


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def rewrite(path: Path, out: Path, changed: dict[str, bytes], order: Sequence[str] = ()) -> None:
    """Write a copy of the backup at ``path`` to ``out`` with some members replaced."""
    found = members(path)
    found.update(changed)
    with tarfile.open(out, "w") as tar:
        for name in order or found:
            info = tarfile.TarInfo(name)
            info.size = len(found[name])
            tar.addfile(info, io.BytesIO(found[name]))


def said(result: subprocess.CompletedProcess[str]) -> str:
    """What a command wrote on standard error, its lines joined (the console wraps them)."""
    return " ".join(result.stderr.split())
