"""Two offline copies compared: the same statements, search rows, indexes and full text.

Made to check a change to how a copy is pulled (``nitka.offline.transfer``)
against a copy the code before it made from the same server store: every
statement row (all columns), every search row (all but the row number, which
depends on the order they were written), the same indexes, and each copy's
full-text table consistent with its search rows (FTS5's integrity check)
and answering the same to a sample of searches.

    python -m bench.offline_compare OLD_COPY.db NEW_COPY.db
"""

from __future__ import annotations

import argparse
import sqlite3
from collections import Counter
from pathlib import Path

_SEARCH = "canonical_id, schema, name, keys, skel, facets, lookup_key"
_IGNORED = {"offline_origin", "alembic_version", "sqlite_sequence"}


def differences(old: Path, new: Path) -> list[str]:
    """What differs between the two copies (nothing: an empty list)."""
    found: list[str] = []
    a, b = sqlite3.connect(old), sqlite3.connect(new)
    try:
        for name, query in (
            ("statement", "SELECT * FROM statement"),
            ("search_name", f"SELECT {_SEARCH} FROM search_name"),
        ):
            left, right = Counter(a.execute(query)), Counter(b.execute(query))
            if left != right:
                found.append(
                    f"{name}: {sum((left - right).values())} rows only in {old}, "
                    f"{sum((right - left).values())} only in {new}"
                )
        indexes = "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'table')"
        if set(a.execute(indexes)) != set(b.execute(indexes)):
            found.append("the schemas (tables, indexes, triggers) differ")
        for copy, conn in ((old, a), (new, b)):
            try:
                conn.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as error:
                found.append(f"{copy}: full-text table out of step with search_name: {error}")
        terms = [row[0].split()[0] for row in a.execute(_SAMPLE) if row[0]]
        for term in terms:
            query = "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?"
            phrase = f'"{term}"'
            if a.execute(query, (phrase,)).fetchone() != b.execute(query, (phrase,)).fetchone():
                found.append(f"a full-text search for {phrase} answers differently")
        tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'"
        for (table,) in a.execute(tables):
            if table in _IGNORED or table in ("statement", "search_name"):
                continue
            count = f'SELECT count(*) FROM "{table}"'
            if a.execute(count).fetchone() != b.execute(count).fetchone():
                found.append(f"{table}: a different number of rows")
    finally:
        a.close()
        b.close()
    return found


_SAMPLE = "SELECT keys FROM search_name ORDER BY rowid LIMIT 200"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    found = differences(args.old, args.new)
    for line in found:
        print(line)
    if found:
        raise SystemExit(1)
    with sqlite3.connect(args.new) as conn:
        rows = conn.execute("SELECT count(*) FROM statement").fetchone()[0]
        names = conn.execute("SELECT count(*) FROM search_name").fetchone()[0]
    print(f"the same: {rows:,} statements, {names:,} search rows, indexes and full text")


if __name__ == "__main__":
    main()
