"""What each source brought into the store, kept small for the start page.

A source is a dataset's file ingested into a case (or none). Its row holds
what its latest ingest did (records, statements, entities, rejects), with
the grading given, when and by whom; the same file ingested again replaces
it, so running an ingest twice does not count twice. What the store holds
per dataset is the sum of its sources' rows: a few hundred rows read, where
counting the statement table would read millions on every page view.

A resumed ingest counts the statements it wrote itself (those of the run it
resumes were never summed: that run stopped).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from nitka.ingest.readers import STDIN
from nitka.ingest.runner import IngestReport
from nitka.model.statement import Provenance
from nitka.store.db import upsert
from nitka.store.tables import ingest_summary

RECENT = 10
"""Ingests the start page lists."""


@dataclass(frozen=True)
class Ingested:
    """One source's latest ingest."""

    dataset: str
    case: str | None
    kind: str
    grading: str | None
    records: int
    statements: int
    entities: int
    rejected: int
    at: datetime
    by: str


@dataclass(frozen=True)
class SourceTotal:
    """What the store holds from a dataset (in one case, or in none)."""

    dataset: str
    case: str | None
    entities: int
    statements: int
    gradings: list[str]
    """The gradings its ingests gave, weakest last (empty: none known)."""
    last_ingest: datetime


def record_ingest(
    conn: Connection, kind: str, provenance: Provenance, report: IngestReport, by: str
) -> None:
    """Keep what an ingest that ran to its end did, in the caller's transaction."""
    values = {
        "source_key": _source_key(provenance, report.path),
        "dataset": provenance.dataset,
        "case_id": provenance.case,
        "kind": kind,
        "path": report.path,
        "grading": provenance.grading.code,
        "records": report.resumed_after + report.records,
        "statements": report.statements,
        "entities": report.entities,
        "rejected": report.rejected,
        "dropped_values": report.dropped_values,
        "ingested_at": datetime.now(UTC).replace(tzinfo=None),
        "ingested_by": by,
    }
    replaced = [name for name in values if name != "source_key"]
    conn.execute(upsert(conn, ingest_summary, ["source_key"], replaced), values)


def _source_key(provenance: Provenance, path: str) -> str:
    """The same file into the same dataset and case is one source; standard input
    is a new one every time (nothing says two are the same)."""
    where = uuid.uuid4().hex if path == STDIN else str(Path(path).resolve())
    key = "\x1f".join((provenance.dataset, provenance.case or "", where))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def source_totals(
    conn: Connection, cases: Collection[str] | None, hidden: Collection[str] = ()
) -> list[SourceTotal]:
    """Per dataset and case: entities and statements its sources brought, the
    gradings given, the latest ingest. ``cases``: the cases whose data may be
    shown (None: all); ``hidden``: datasets not to be shown."""
    columns = ingest_summary.c
    rows = conn.execute(
        select(
            columns.dataset,
            columns.case_id,
            func.sum(columns.entities),
            func.sum(columns.statements),
            func.max(columns.ingested_at),
        )
        .where(_visible(cases, hidden))
        .group_by(columns.dataset, columns.case_id)
        .order_by(columns.dataset, columns.case_id)
    ).all()
    gradings: dict[tuple[str, str | None], set[str]] = {}
    for dataset, case, grading in conn.execute(
        select(columns.dataset, columns.case_id, columns.grading)
        .where(_visible(cases, hidden), columns.grading.is_not(None))
        .distinct()
    ):
        gradings.setdefault((dataset, case), set()).add(grading)
    return [
        SourceTotal(
            dataset=dataset,
            case=case,
            entities=int(entities or 0),
            statements=int(statements or 0),
            gradings=sorted(gradings.get((dataset, case), set())),
            last_ingest=last,
        )
        for dataset, case, entities, statements, last in rows
    ]


def recent_ingests(
    conn: Connection,
    cases: Collection[str] | None,
    hidden: Collection[str] = (),
    limit: int = RECENT,
) -> list[Ingested]:
    """The latest ingests whose data may be shown, newest first."""
    columns = ingest_summary.c
    rows = conn.execute(
        select(ingest_summary)
        .where(_visible(cases, hidden))
        .order_by(columns.ingested_at.desc(), columns.id.desc())
        .limit(limit)
    ).mappings()
    return [
        Ingested(
            dataset=row["dataset"],
            case=row["case_id"],
            kind=row["kind"],
            grading=row["grading"],
            records=row["records"],
            statements=row["statements"],
            entities=row["entities"],
            rejected=row["rejected"],
            at=row["ingested_at"],
            by=row["ingested_by"],
        )
        for row in rows
    ]


def _visible(cases: Collection[str] | None, hidden: Collection[str]) -> ColumnElement[bool]:
    """A source filed under a case is shown to its members only; a watch list shared
    with other units only is not shown at all."""
    columns = ingest_summary.c
    shown: ColumnElement[bool] = columns.id.is_not(None)
    if cases is not None:
        in_case = columns.case_id.in_(sorted(cases)) if cases else columns.id.is_(None)
        shown = or_(columns.case_id.is_(None), in_case)
    if hidden:
        shown = and_(shown, columns.dataset.not_in(sorted(hidden)))
    return shown
