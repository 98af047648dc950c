"""Link charts saved in a case: which nodes, where they stood, who saved them.

A saved chart keeps node ids and positions only. Opening it reads the nodes
again as the opener may see them (``chart_files.induced``), so a chart shared
in a case shows each member what their rights allow, and what changed since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from nitka.errors import FieldError
from nitka.store.tables import chart

MAX_NODES = 5_000


class ChartError(FieldError):
    """A chart that cannot be saved or opened as asked."""


@dataclass(frozen=True)
class SavedChart:
    id: int
    case_id: str
    name: str
    ids: list[str]
    positions: dict[str, dict[str, float]]
    saved_by: str
    saved_at: str

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case": self.case_id,
            "name": self.name,
            "nodes": len(self.ids),
            "saved_by": self.saved_by,
            "saved_at": self.saved_at,
        }


def save_chart(
    conn: Connection,
    case_id: str,
    name: str,
    ids: list[str],
    positions: dict[str, dict[str, float]],
    *,
    by: str,
) -> int:
    """Save (or replace) the case's chart of this name; returns its id."""
    if not name.strip():
        raise ChartError("a chart needs a name", field="name")
    if len(ids) > MAX_NODES:
        raise ChartError(f"a chart holds at most {MAX_NODES:,} nodes", field="ids")
    kept = {i: {"x": float(p["x"]), "y": float(p["y"])} for i, p in positions.items() if i in ids}
    elements = orjson.dumps({"ids": ids, "positions": kept}).decode()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    existing = conn.execute(
        select(chart.c.id).where(chart.c.case_id == case_id, chart.c.name == name)
    ).scalar()
    values = {"elements": elements, "saved_by": by, "saved_at": now}
    if existing is not None:
        conn.execute(update(chart).where(chart.c.id == existing).values(**values))
        return int(existing)
    created = conn.execute(
        insert(chart).values(case_id=case_id, name=name, **values).returning(chart.c.id)
    )
    return int(created.scalar_one())


def load_chart(conn: Connection, chart_id: int) -> SavedChart | None:
    row = conn.execute(select(chart).where(chart.c.id == chart_id)).first()
    if row is None:
        return None
    elements = orjson.loads(row.elements)
    return SavedChart(
        row.id,
        row.case_id,
        row.name,
        list(elements["ids"]),
        dict(elements["positions"]),
        row.saved_by,
        row.saved_at,
    )


def charts_of_case(conn: Connection, case_id: str) -> list[SavedChart]:
    rows = conn.execute(select(chart.c.id).where(chart.c.case_id == case_id).order_by(chart.c.name))
    return [found for (chart_id,) in rows if (found := load_chart(conn, chart_id)) is not None]
