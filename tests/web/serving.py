"""A running ``nitka serve`` for the web tests, with users that hold tokens."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from nitka.access.accounts import add_account, create_token, find_account
from tests.helpers import WATCH_LISTS as LISTS

PURPOSE = {"X-Nitka-Purpose": "border check, Chop crossing"}


@dataclass
class Service:
    """A running ``nitka serve`` and the headers of three of its users."""

    url: str
    pid: int
    officer: dict[str, str]
    """An investigator's token and a purpose: may check."""
    keeper: dict[str, str]
    """An NCB liaison officer's: may also withdraw and reinstate list entries."""
    auditor: dict[str, str]
    """An auditor's: may not check (a hit is police data)."""


def users_with_tokens(engine: Engine) -> dict[str, dict[str, str]]:
    headers = {}
    with engine.begin() as conn:
        for name, role in (
            ("officer.k", "investigator"),
            ("ncb.duty", "liaison"),
            ("audit.a", "auditor"),
        ):
            if find_account(conn, name) is None:
                add_account(conn, name, role)
            token = create_token(conn, name, label="tests")
            headers[name] = {"Authorization": f"Bearer {token}", **PURPOSE}
    return headers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    listed: Engine,
    database_url: str,
    tmp_path: Path,
    *options: str,
    lists: tuple[str, ...] = tuple(LISTS),
    port: int | None = None,
    env: dict[str, str] | None = None,
    wait: float = 60,
) -> Iterator[Service]:
    """``nitka serve`` on the watch lists, with users that have tokens; ``env`` adds
    settings (``NITKA_...``) for the server; ``wait``: seconds it may take to come up."""
    users = users_with_tokens(listed)
    port = port or free_port()
    command = [sys.executable, "-m", "nitka.cli.main", "serve", "--port", str(port), *options]
    for name in lists:
        command += ["--list", name]
    environment = {
        **os.environ,
        "NITKA_DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        **(env or {}),
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(command, env=environment, stderr=errors)
    base = f"http://127.0.0.1:{port}"
    try:
        # A minute: a busy machine (the suite beside benchmarks) takes its time to
        # import the app; a server that does not come up fails the test with its log.
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"{base}/healthz", headers=users["officer.k"])
                if health.status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            process.kill()
            raise AssertionError(log.read_text(encoding="utf-8", errors="replace"))
        yield Service(base, process.pid, users["officer.k"], users["ncb.duty"], users["audit.a"])
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def in_process(app: Any) -> Iterator[httpx.Client]:
    """The app served over real HTTP by uvicorn in a thread of this process, so that a
    test can watch what the app does (its log, its database hooks)."""
    import threading

    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", timeout=30, follow_redirects=True
        ) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=15)
