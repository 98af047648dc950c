"""Watch lists shared with units.

A unit that keeps a list (a national wanted list, a list of stolen documents
received under an agreement) may share it with some units only. A dataset
shared with at least one unit is seen, in search, entity views and screening
hits, only by accounts of the units it is shared with; a dataset shared with
no one is seen by every unit, as watch lists usually are. Sharing and
unsharing are changes, recorded in the audit trail by the caller.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from nitka.errors import FieldError
from nitka.store.tables import list_share, unit


class ShareError(FieldError):
    """A list that cannot be shared as asked."""


def share_list(conn: Connection, dataset: str, unit_id: str, *, by: str) -> bool:
    """Share the dataset with the unit; False if it was shared with it already."""
    dataset = dataset.strip()
    if not dataset:
        raise ShareError("a list needs a name", field="dataset")
    if conn.execute(select(unit.c.id).where(unit.c.id == unit_id)).first() is None:
        raise ShareError(f"no unit {unit_id!r}", field="unit")
    if unit_id in units_of_list(conn, dataset):
        return False
    conn.execute(
        insert(list_share).values(
            dataset=dataset, unit_id=unit_id, shared_at=datetime.now(UTC).isoformat(), shared_by=by
        )
    )
    return True


def unshare_list(conn: Connection, dataset: str, unit_id: str) -> bool:
    """Stop sharing with the unit; False if it was not shared with it.

    Unsharing the last unit makes the list visible to every unit again, so
    the caller should say so to the user.
    """
    done = conn.execute(
        delete(list_share).where(list_share.c.dataset == dataset, list_share.c.unit_id == unit_id)
    )
    return bool(done.rowcount)


def units_of_list(conn: Connection, dataset: str) -> list[str]:
    rows = conn.execute(
        select(list_share.c.unit_id)
        .where(list_share.c.dataset == dataset)
        .order_by(list_share.c.unit_id)
    )
    return list(rows.scalars())


def lists_hidden_from(conn: Connection, unit_id: str | None) -> frozenset[str]:
    """Datasets shared with some units, but not with this one (or an account of no unit)."""
    shared = select(list_share.c.dataset).distinct()
    if unit_id is None:
        return frozenset(conn.execute(shared).scalars())
    mine = select(list_share.c.dataset).where(list_share.c.unit_id == unit_id)
    return frozenset(conn.execute(shared.where(list_share.c.dataset.not_in(mine))).scalars())
