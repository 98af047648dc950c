"""Exports of THB case data: a case's victims and perpetrators as HTCDS rows, and the
CTDC-style anonymised victim file (docs/htcds.md). Importing HTCDS is an ordinary ingest
(``nitka ingest htcds``, ``services.ingest``).

Both exports read only what the actor may see (need-to-know: victims' statements only
for investigators and supervisors), pass the H2/H3 gate of ``services.exports`` and
leave an audit record naming the persons whose data went into the file.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import IO, Any

from followthemoney import model
from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.cases import case_exists
from nitka.access.visibility import READERS, Viewer
from nitka.ingest.htcds import COLUMNS, VICTIM
from nitka.ingest.htcds_rows import Held, PersonView, persons_of, to_row, victim_facts
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import PoliceStatement
from nitka.reports.anonymised import Anonymised, anonymise, check_k, write_csv
from nitka.services.exports import Restrictions, gate
from nitka.services.guard import NotFoundError, audit, require, viewer_of
from nitka.store.reader import case_entity_ids, get_entities
from nitka.store.tables import statement

CASE_LIMIT = 1_000_000
"""The most entities one case's export reads."""


def export_htcds(
    conn: Connection,
    actor: Actor,
    case_id: str,
    fh: IO[str],
    *,
    permission: str | None = None,
) -> int:
    """Write the case's victims and perpetrators as HTCDS rows; returns the rows written."""
    subject: dict[str, Any] = {"htcds export": case_id}
    if (permission or "").strip():
        subject["permission"] = permission
    require(conn, actor, READERS, Action.EXPORT, subject)
    viewer = _case_viewer(conn, actor, case_id)
    entities, restrictions = _case_entities(conn, viewer, case_id)
    views = persons_of(entities)
    gate(conn, actor, subject, restrictions, permission)
    writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for view in views:
        writer.writerow(to_row(view))
    audit(conn, actor, Action.EXPORT, subject,
          entities=[str(v.person.id) for v in views], result_size=len(views))  # fmt: skip
    return len(views)


def export_anonymised(
    conn: Connection,
    actor: Actor,
    fh: IO[str],
    *,
    k: int,
    cases: Sequence[str] = (),
    permission: str | None = None,
) -> Anonymised:
    """Write the victims of the cases (by default every case the actor may see) as a
    k-anonymous CTDC-style file; returns what was written and how much was suppressed."""
    check_k(k)
    subject: dict[str, Any] = {"anonymised export": "ctdc", "k": k, "cases": sorted(cases)}
    if (permission or "").strip():
        subject["permission"] = permission
    require(conn, actor, READERS, Action.EXPORT, subject)
    viewer = viewer_of(conn, actor)
    for case_id in cases:
        _case_viewer(conn, actor, case_id)
    chosen = sorted(cases) or _victim_cases(conn, viewer)
    victims: list[PersonView] = []
    restrictions = Restrictions()
    for case_id in chosen:
        entities, found = _case_entities(conn, viewer, case_id)
        victims.extend(v for v in persons_of(entities) if v.context == VICTIM)
        for code, count in found.counts.items():
            restrictions.counts[code] = restrictions.counts.get(code, 0) + count
        restrictions.notes |= found.notes
    gate(conn, actor, subject, restrictions, permission)
    result = anonymise([victim_facts(v) for v in victims], k)
    write_csv(result, fh)
    subject |= {"cases": chosen, "suppressed": result.suppressed, "levels": result.levels}
    audit(conn, actor, Action.EXPORT, subject,
          entities=sorted({str(v.person.id) for v in victims}),
          result_size=len(result.rows))  # fmt: skip
    return result


def _case_viewer(conn: Connection, actor: Actor, case_id: str) -> Viewer | None:
    """The actor's viewer, once the case exists and the actor is one of its members."""
    viewer = viewer_of(conn, actor)
    if not case_exists(conn, case_id) or (viewer is not None and case_id not in viewer.cases):
        raise NotFoundError(f"no case {case_id!r}, or you are not a member", field="case")
    return viewer


def _victim_cases(conn: Connection, viewer: Viewer | None) -> list[str]:
    """The cases with victims in them that the viewer may see (an operator: all)."""
    query = (
        select(statement.c.case_id)
        .where(statement.c.category == DataSubjectCategory.VICTIM.value)
        .where(statement.c.case_id.is_not(None))
        .distinct()
    )
    found = [str(case) for case in conn.execute(query).scalars()]
    return sorted(c for c in found if viewer is None or viewer.may_see_case(c))


def _case_entities(
    conn: Connection, viewer: Viewer | None, case_id: str
) -> tuple[dict[str, Held], Restrictions]:
    """The case's entities made of the case's own statements that the viewer may see
    (data of the same persons from other sources stays out of the case's file)."""
    ids = case_entity_ids(conn, case_id, limit=CASE_LIMIT)
    held: dict[str, Held] = {}
    restrictions = Restrictions()
    for entity_id, entity in get_entities(conn, ids).items():
        shown = [s for s in entity.statements if s.case == case_id and _sees(viewer, s)]
        if not shown:
            continue
        for stmt in shown:
            restrictions.add(stmt)
        proxy = model.make_entity(entity.schema)
        proxy.id = entity_id
        for stmt in shown:
            if stmt.prop in entity.schema.properties:
                proxy.unsafe_add(entity.schema.properties[stmt.prop], stmt.value, cleaned=True)
        seen = [s.first_seen for s in shown if s.first_seen]
        held[entity_id] = Held(proxy, {s.category for s in shown}, min(seen) if seen else None)
    return held, restrictions


def _sees(viewer: Viewer | None, stmt: PoliceStatement) -> bool:
    return viewer is None or viewer.may_see(stmt)
