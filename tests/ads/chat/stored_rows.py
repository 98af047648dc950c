"""Every row of every table of a store, as text: to show that nothing of a
conversation was written anywhere, not only where the counts go."""

from __future__ import annotations

from sqlalchemy import Engine, select

from nitka.store.tables import metadata


def stored_rows(engine: Engine) -> list[str]:
    """``table: cell cell ...`` for each row of each of the store's tables."""
    found = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                found.append(f"{table.name}: " + " ".join(map(str, row)))
    return found
