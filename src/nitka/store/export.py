"""Export as FtM JSON lines: entities, or statements with every police field.

Entity lines are FtM's ``ValueEntity`` form (id, schema, properties, caption,
datasets, referents, first and last seen), which ``ftm`` and other FtM tools
read. Statement lines are FtM statements plus Nitka's grading, category,
handling, case and assessment fields; FtM's statement readers ignore the extra
keys, and ``nitka ingest ftm`` reads them back into the same store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import orjson
from sqlalchemy.engine import Connection

from nitka.store.reader import StoredEntity, iter_entities


def entity_dict(entity: StoredEntity) -> dict[str, Any]:
    proxy = entity.proxy()
    data = proxy.to_dict()
    data["caption"] = proxy.caption
    data["datasets"] = entity.datasets
    data["referents"] = [m for m in entity.members if m != entity.id]
    seen_first = [s.first_seen for s in entity.statements if s.first_seen]
    seen_last = [s.last_seen for s in entity.statements if s.last_seen]
    if seen_first:
        data["first_seen"] = min(seen_first)
    if seen_last:
        data["last_seen"] = max(seen_last)
    return data


def iter_entity_lines(conn: Connection) -> Iterator[bytes]:
    for entity in iter_entities(conn):
        yield orjson.dumps(entity_dict(entity)) + b"\n"


def iter_statement_lines(conn: Connection) -> Iterator[bytes]:
    for entity in iter_entities(conn):
        for stmt in entity.statements:
            yield orjson.dumps(stmt.to_dict()) + b"\n"


def export(conn: Connection, fh: IO[bytes], *, statements: bool = False) -> int:
    """Write the store to ``fh``; returns the number of lines written."""
    lines = iter_statement_lines(conn) if statements else iter_entity_lines(conn)
    count = 0
    for line in lines:
        fh.write(line)
        count += 1
    return count
