"""The server's side of a copy: the pages it sends, read with need-to-know.

A copy holds, of each watch-list entity, only the statements its account
may see in the lists it may see (``nitka.access.visibility``: a case's
statements only for the case's members, a list shared with other units not
at all, a victim's or witness's statements only for investigators and
supervisors), and only entries that stand: a withdrawn entry is left out.
An entity none of whose statements the account may see is not in the copy.

A change page names every entity the change records after a position touch
(``nitka.store.outbox.touched``) with what the copy should hold of it now:
an erased, withdrawn or merged-away entity comes with no rows, and the copy
drops it. The copy never mixes its own rows with the server's, so no
organisation's statements can overwrite another's: each keeps its dataset,
case and grading.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from followthemoney import model
from sqlalchemy.engine import Connection

from nitka.access.visibility import PROTECTED_READERS, Viewer
from nitka.model.handling import DataSubjectCategory
from nitka.offline.wire import CANONICAL, CASE, CATEGORY, COLUMNS, DATASET
from nitka.screen.lists import LISTED_SCHEMATA
from nitka.screen.withdrawals import withdrawn
from nitka.store.db import driver_rows, in_marks
from nitka.store.outbox import changes_since, touched

_PROTECTED = frozenset(c.value for c in DataSubjectCategory if c.is_protected)
_SCHEMATA = tuple(
    sorted({s.name for s in model.schemata.values() if any(s.is_a(n) for n in LISTED_SCHEMATA)})
)
_LISTED = frozenset(_SCHEMATA)
_ASSESSMENT = COLUMNS.index("assessment")
_SCHEMA = COLUMNS.index("schema")
_SELECTED = ", ".join(f'"{name}"' for name in COLUMNS)
_CHUNK = 500


def visible_lists(lists: Sequence[str], viewer: Viewer | None) -> list[str]:
    """The lists of ``lists`` the viewer may see (all of them for a local operator)."""
    return [name for name in lists if viewer is None or name not in viewer.hidden_lists]


def sight_key(viewer: Viewer | None) -> str:
    """What decides the viewer's need-to-know (role, cases, hidden lists) as a short
    digest: a copy whose account's sight changed is pulled again, since the change
    sequence does not record who may see what."""
    if viewer is None:
        return "operator"
    parts = [viewer.role.value, *sorted(viewer.cases), "|", *sorted(viewer.hidden_lists)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def entry_page(
    conn: Connection, viewer: Viewer | None, lists: Sequence[str], after: str, limit: int
) -> tuple[list[list[Any]], str | None]:
    """The statement rows of the next ``limit`` listed entities after the id
    ``after``, as the viewer may see them, and the id to ask after next (None at
    the end)."""
    if not lists:
        return [], None
    sql = (
        "SELECT DISTINCT canonical_id FROM statement WHERE canonical_id > "
        f"{in_marks(conn, 1)} AND dataset IN ({in_marks(conn, len(lists))}) "
        f'AND "schema" IN ({in_marks(conn, len(_SCHEMATA))}) '
        f"ORDER BY canonical_id LIMIT {int(limit)}"
    )
    ids = [row[0] for row in driver_rows(conn, sql, (after, *lists, *_SCHEMATA))]
    if not ids:
        return [], None
    # The page's rows in one range of the canonical id's index rather than lists of
    # ids: a pull reads every row of the lists once, in order.
    sql = (
        f"SELECT {_SELECTED} FROM statement WHERE canonical_id >= {in_marks(conn, 1)} "
        f"AND canonical_id <= {in_marks(conn, 1)} "
        f"AND dataset IN ({in_marks(conn, len(lists))})"
    )
    found = driver_rows(conn, sql, (ids[0], ids[-1], *lists))
    rows = _kept(conn, viewer, lists, ids, [r for r in found if r[_SCHEMA] in _LISTED])
    return rows, (ids[-1] if len(ids) == limit else None)


def change_page(
    conn: Connection, viewer: Viewer | None, lists: Sequence[str], after: int, limit: int
) -> tuple[list[str], list[list[Any]], int, bool]:
    """The entities the change records after ``after`` touch (at most ``limit``
    records), their rows as the viewer may see them now, the position reached, and
    whether more records follow."""
    changes = changes_since(conn, after, limit=limit)
    position = changes[-1].seq if changes else after
    ids = touched(changes, lists)
    return ids, standing_rows(conn, viewer, lists, ids), position, len(changes) == limit


def standing_rows(
    conn: Connection, viewer: Viewer | None, lists: Sequence[str], ids: Sequence[str]
) -> list[list[Any]]:
    """The rows of these entities the copy holds: in the lists, of a listed schema,
    seen by the viewer, on a list the entry has not been withdrawn from."""
    if not ids or not lists:
        return []
    found: list[list[Any]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = tuple(ids[start : start + _CHUNK])
        sql = (
            f"SELECT {_SELECTED} FROM statement WHERE canonical_id IN "
            f"({in_marks(conn, len(chunk))}) AND dataset IN ({in_marks(conn, len(lists))})"
        )
        rows = driver_rows(conn, sql, (*chunk, *lists))
        found += _kept(conn, viewer, lists, chunk, [r for r in rows if r[_SCHEMA] in _LISTED])
    return found


def _kept(
    conn: Connection,
    viewer: Viewer | None,
    lists: Sequence[str],
    ids: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> list[list[Any]]:
    """The rows the viewer may see, of entries not withdrawn from their list."""
    gone = withdrawn(conn, lists, ids)
    kept: list[list[Any]] = []
    for row in rows:
        if _seen(viewer, row) and (row[CANONICAL], row[DATASET]) not in gone:
            item = list(row)
            item[_ASSESSMENT] = bool(item[_ASSESSMENT])
            kept.append(item)
    return kept


def _seen(viewer: Viewer | None, row: Sequence[Any]) -> bool:
    if viewer is None:
        return True
    if not viewer.may_see_source(row[CASE], row[DATASET]):
        return False
    return row[CATEGORY] not in _PROTECTED or viewer.role in PROTECTED_READERS
