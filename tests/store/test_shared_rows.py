"""``write_shared_rows`` (an offline copy's bulk path): values every row of a group
shares are written once, as literals in the SQL; a quote or a percent sign in them is
kept as given. SQLite's alone: PostgreSQL is refused, its writes go by COPY."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from nitka.store.tables import statement
from nitka.store.writer import write_shared_rows

COLUMNS = [c.name for c in statement.c]
ODD = "o'brien %s 100% list"


def _row(number: int) -> dict[str, object]:
    return {
        "id": f"s{number}", "entity_id": f"e{number}", "canonical_id": f"e{number}",
        "schema": "Person", "prop": "name", "prop_type": "name", "value": f"Name {number}",
        "dataset": ODD, "reliability": "B", "credibility": "2", "category": "suspect",
        "handling": "H1", "assessment": False, "origin": "it's 50%",
    }  # fmt: skip


def test_shared_values_with_quotes_and_percent_signs_are_kept(engine: Engine) -> None:
    rows = [_row(n) for n in range(3)]
    shared_names = ("dataset", "origin")
    present = tuple(
        i for i, name in enumerate(COLUMNS) if name in rows[0] and name not in shared_names
    )
    shared = tuple((COLUMNS.index(name), str(rows[0][name])) for name in shared_names)
    bound = [tuple(row[COLUMNS[i]] for i in present) for row in rows]
    with engine.begin() as conn:
        if engine.dialect.name != "sqlite":
            with pytest.raises(ValueError, match="SQLite only"):
                write_shared_rows(conn, present, shared, bound)
            return
        write_shared_rows(conn, present, shared, bound)
    with engine.connect() as conn:
        found = conn.execute(
            select(
                statement.c.id, statement.c.dataset, statement.c.origin, statement.c.lang
            ).order_by(statement.c.id)
        ).all()
    assert [tuple(r) for r in found] == [(f"s{n}", ODD, "it's 50%", None) for n in range(3)]
