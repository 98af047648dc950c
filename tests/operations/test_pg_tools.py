"""pg_dump and pg_restore get the connection without a password on their command line."""

from __future__ import annotations

import stat
from pathlib import Path

from nitka.operations.pg_tools import connection_env, exit_reason


def test_the_password_goes_in_a_private_passfile_not_the_environment() -> None:
    url = "postgresql+psycopg://nitka:s3cr:et@db.example:5433/store?sslmode=require"
    with connection_env(url) as env:
        passfile = Path(env["PGPASSFILE"])
        assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
        assert passfile.read_text() == "*:*:*:*:s3cr\\:et\n"
        assert not any("s3cr" in value for key, value in env.items() if key != "PGPASSFILE")
        assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
            "db.example",
            "5433",
            "nitka",
            "store",
        )
        assert env["PGSSLMODE"] == "require"
    assert not passfile.exists()


def test_no_password_no_passfile() -> None:
    with connection_env("postgresql+psycopg://postgres@127.0.0.1:5432/nitka") as env:
        assert "PGPASSFILE" not in env and "PGPASSWORD" not in env


def test_a_tool_killed_by_the_file_size_limit_is_said_so() -> None:
    assert exit_reason(-25) == "killed by SIGXFSZ (the file size limit)"
    assert exit_reason(1) == "exit status 1"
