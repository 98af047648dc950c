"""Need-to-know on projected rows: who may see a row is who may see every statement
behind it.

A statement is seen by a viewer by its source: its case, its dataset and whether
it is about a protected person (``nitka.access.visibility``). A row of a
projection is built from several statements, so its *scope* is the set of their
sources. Scopes are few (one per case and dataset, mostly), so each is stored
once (``analysis_scope``) and a row names it by id; what a viewer may see is then
the list of scope ids all of whose sources the viewer may see, and a query over
millions of rows filters on that list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NamedTuple

import orjson
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from nitka.access.visibility import PROTECTED_READERS, Viewer
from nitka.store.tables import analysis_scope


class Source(NamedTuple):
    """Where a statement comes from, as far as need-to-know asks."""

    case: str | None
    dataset: str
    protected: bool
    """About a victim, witness or informant (``DataSubjectCategory.is_protected``)."""


Scope = frozenset[Source]


def may_see(viewer: Viewer, scope: Iterable[Source]) -> bool:
    """Whether the viewer may see every statement of these sources (``Viewer.may_see``)."""
    return all(
        viewer.may_see_source(source.case, source.dataset)
        and (not source.protected or viewer.role in PROTECTED_READERS)
        for source in scope
    )


def _encoded(scope: Scope) -> tuple[str, str]:
    ordered = sorted(scope, key=lambda s: (s.case or "", s.dataset, s.protected))
    sources = orjson.dumps([list(s) for s in ordered]).decode()
    return hashlib.sha256(sources.encode()).hexdigest(), sources


class Scopes:
    """The scope ids of one connection's work: existing ones read once, new ones added."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._ids: dict[Scope, int] = dict(_load(conn))

    def id_of(self, scope: Scope) -> int:
        found = self._ids.get(scope)
        if found is None:
            key, sources = _encoded(scope)
            found = self.conn.execute(
                insert(analysis_scope)
                .values(key=key, sources=sources)
                .returning(analysis_scope.c.id)
            ).scalar_one()
            self._ids[scope] = found
        return found


def _load(conn: Connection) -> Iterable[tuple[Scope, int]]:
    for scope_id, sources in conn.execute(select(analysis_scope.c.id, analysis_scope.c.sources)):
        yield frozenset(Source(c, d, bool(p)) for c, d, p in orjson.loads(sources)), scope_id


def visible_scopes(
    conn: Connection, viewer: Viewer | None, case: str | None = None
) -> list[int] | None:
    """The scope ids of the rows the viewer may see (of the case, if one is given);
    None when every row may be seen (a local operator, no case asked for)."""
    if viewer is None and case is None:
        return None
    return [
        scope_id
        for scope, scope_id in _load(conn)
        if (viewer is None or may_see(viewer, scope))
        and (case is None or any(source.case == case for source in scope))
    ]
