"""Run the SQL script ``pg_restore --file=-`` writes on one connection of ours, so
that the restore is one transaction we control (and can check before it commits).

The script is SQL statements, ``COPY ... FROM stdin;`` followed by rows up to a
line ``\\.``, and psql's ``\\restrict``/``\\unrestrict`` guards, which only psql needs.
"""

from __future__ import annotations

from typing import IO

from sqlalchemy import Connection

from nitka.operations.manifest import BackupError

_END_OF_COPY = b"\\.\n"
_GUARDS = (b"\\restrict ", b"\\unrestrict ")
_COPY_CHUNK = 1 << 20


def load_script(conn: Connection, stream: IO[bytes]) -> int:
    """Execute the script in the connection's transaction; returns the rows copied."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    statements: list[bytes] = []
    rows = 0
    try:
        for line in stream:
            if line.startswith(b"\\"):
                if line.startswith(_GUARDS):
                    continue
                raise BackupError(
                    f"the dump's script holds a psql command Nitka does not run: "
                    f"{line[:40].decode(errors='replace')}",
                    field="payload",
                )
            if line.startswith(b"COPY ") and line.rstrip().endswith(b"FROM stdin;"):
                _run(cursor, statements)
                rows += _copy(cursor, line, stream)
                continue
            statements.append(line)
        _run(cursor, statements)
    finally:
        cursor.close()
    return rows


def _run(cursor: object, statements: list[bytes]) -> None:
    sql = b"".join(statements).strip()
    statements.clear()
    if sql:
        cursor.execute(sql)  # type: ignore[attr-defined]


def _copy(cursor: object, command: bytes, stream: IO[bytes]) -> int:
    rows = 0
    buffered: list[bytes] = []
    size = 0
    with cursor.copy(command.rstrip().rstrip(b";")) as copy:  # type: ignore[attr-defined]
        for line in stream:
            if line == _END_OF_COPY:
                break
            buffered.append(line)
            size += len(line)
            rows += 1
            if size >= _COPY_CHUNK:
                copy.write(b"".join(buffered))
                buffered.clear()
                size = 0
        else:
            raise BackupError("the dump's script ends inside a table's rows", field="payload")
        if buffered:
            copy.write(b"".join(buffered))
    return rows
