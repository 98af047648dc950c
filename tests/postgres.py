"""A real PostgreSQL server for the test suite, started from the installed binaries.

The server runs in a temporary folder for the test session. Set
``NITKA_TEST_POSTGRES_URL`` to use a server that is already running instead
(the URL of a database whose user may create databases). Set
``NITKA_REQUIRE_POSTGRES=1`` (CI does) to make a missing server an error
rather than a skip.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

SERVER_USER = "postgres"


def find_binaries() -> Path | None:
    """The folder with initdb and pg_ctl: Debian keeps them out of PATH."""
    candidates = sorted((str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).parent))
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user() -> list[str]:
    """PostgreSQL refuses to run as root: run it as the 'postgres' account then."""
    if os.geteuid() != 0:
        return []
    pwd.getpwnam(SERVER_USER)  # raises KeyError if the Debian package's user is missing
    return ["runuser", "-u", SERVER_USER, "--"]


@contextmanager
def temporary_server() -> Iterator[str]:
    """Start a throwaway server; yields a URL for its 'postgres' database."""
    binaries = find_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL binaries (initdb, pg_ctl) not found")
    prefix = _as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="nitka-pg-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if prefix:
        shutil.chown(folder, SERVER_USER)
        shutil.chown(sockets, SERVER_USER)
    user = SERVER_USER if prefix else pwd.getpwuid(os.geteuid()).pw_name
    port = _free_port()
    run = {"check": True, "capture_output": True}
    subprocess.run(
        [
            *prefix,
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        **run,  # type: ignore[call-overload]
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [
            *prefix,
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "server.log"),
            "-w",
            "start",
        ],
        **run,  # type: ignore[call-overload]
    )
    try:
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def scratch_database(admin_url: str, template: str | None = None) -> Iterator[str]:
    """A new database on the server of ``admin_url`` (a copy of ``template`` if
    given, else empty), dropped afterwards; yields its URL."""
    name = f"nitka_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    copy = f" TEMPLATE {template}" if template else ""
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}{copy}"))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
