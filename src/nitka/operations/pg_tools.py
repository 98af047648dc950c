"""PostgreSQL's own tools (``pg_dump``, ``pg_restore``), found and called safely.

The connection goes to them in ``PG*`` environment variables, and the password in
a passfile readable only by this user (``PGPASSFILE``): never on the command
line, where any user of the machine could read it in the process list.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from nitka.operations.manifest import BackupError

_PR_SET_PDEATHSIG = 1


def find_tool(name: str) -> Path:
    """The newest installed ``name`` (Debian keeps the versions under
    /usr/lib/postgresql/*/bin, out of PATH), else the one on PATH."""
    folders = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in folders:
        if (folder / name).exists():
            return folder / name
    found = shutil.which(name)
    if found:
        return Path(found)
    raise BackupError(
        f"{name} not found (looked in /usr/lib/postgresql/*/bin and PATH): install the "
        "PostgreSQL client tools of the server's major version or newer",
        field=name,
    )


@contextmanager
def connection_env(url: str) -> Iterator[dict[str, str]]:
    """The environment that points libpq's tools at ``url``'s database."""
    parsed = make_url(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, value in (
        ("PGHOST", parsed.host),
        ("PGPORT", parsed.port),
        ("PGUSER", parsed.username),
        ("PGDATABASE", parsed.database),
    ):
        if value:
            env[key] = str(value)
    for option, given in parsed.query.items():
        # libpq's own options given in the URL (sslmode=require, host=/socket/dir, ...)
        if isinstance(given, str) and option in _QUERY_ENV:
            env[_QUERY_ENV[option]] = given
    if parsed.password is None:
        yield env
        return
    with tempfile.TemporaryDirectory(prefix="nitka-pg-") as folder:
        passfile = Path(folder) / "pgpass"
        fd = os.open(passfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w") as fh:
            fh.write(f"*:*:*:*:{_escaped(str(parsed.password))}\n")
        env["PGPASSFILE"] = str(passfile)
        yield env


_QUERY_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "application_name": "PGAPPNAME",
}


def _escaped(field: str) -> str:
    return field.replace("\\", "\\\\").replace(":", "\\:")


def die_with_parent() -> None:
    """Run in the child before exec: killed when the parent dies (Linux), so that a
    ``kill -9`` of Nitka stops the dump or restore it started too."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def exit_reason(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        extra = " (the file size limit)" if name == "SIGXFSZ" else ""
        return f"killed by {name}{extra}"
    return f"exit status {code}"
