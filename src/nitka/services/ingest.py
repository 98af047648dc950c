"""Ingesting a file: who may, into which case, and the audit record of the run.

An ingest writes in batches, each its own transaction (a million statements
are not one transaction), so this service takes the engine rather than the
caller's connection: it checks access in one transaction, runs the ingest
(every batch ends with the after-write step, ``nitka.ingest.runner``) and
records the outcome in another, with the source's summary for the start page
(``nitka.ingest.summary``).

Once a linkage run has kept a model, an ingest ends by linking the persons it
brought against those already resolved (``nitka.resolve.incremental``, a
reader of the change sequence) in a transaction of its own: pairs worth a
reviewer's look are proposed at once. Without a run it does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine

from nitka.access.accounts import Role
from nitka.access.actor import Actor
from nitka.access.audit import Action, Outcome
from nitka.access.cases import add_member, case_exists
from nitka.errors import IngestError, RecordError
from nitka.ingest.base import Converter
from nitka.ingest.runner import IngestReport, OnError, ingest
from nitka.ingest.summary import record_ingest
from nitka.model.statement import Provenance
from nitka.resolve import incremental
from nitka.services.cases import open_case
from nitka.services.guard import NotFoundError, audit, refuse, require, transaction, viewer_of

_log = logging.getLogger(__name__)

INGESTERS = frozenset({Role.ANALYST, Role.INVESTIGATOR, Role.LIAISON, Role.SUPERVISOR})
"""Who may bring data into the store (into a case only as one of its members)."""


def ingest_file(
    engine: Engine,
    actor: Actor,
    converter: Converter,
    provenance: Provenance,
    *,
    kind: str,
    batch_size: int | None = None,
    on_error: OnError = OnError.ROLLBACK,
    reject_path: str | None = None,
    progress: Callable[[int], None] | None = None,
    create_case: bool = False,
) -> IngestReport:
    """Ingest one file as the actor. Raises RecordError or IngestError (after recording
    the failure) when the run stops; batches before the bad one stay stored."""
    subject: dict[str, Any] = {
        "ingest": kind,
        "path": converter.path,
        "dataset": provenance.dataset,
        "case": provenance.case,
    }
    with transaction(engine) as conn:
        require(conn, actor, INGESTERS, Action.CHANGE, subject)
        if provenance.case and not case_exists(conn, provenance.case):
            if not create_case:
                raise NotFoundError(
                    f"no case {provenance.case!r}: open it first (nitka case add), "
                    "or ask for it to be created (--create-case)",
                    field="case",
                )
            _open_for_ingest(conn, actor, provenance.case)
        viewer = viewer_of(conn, actor)
        if viewer is not None and provenance.case and provenance.case not in viewer.cases:
            why = f"not a member of case {provenance.case!r}"
            raise refuse(conn, actor, Action.CHANGE, subject, why, "case")
    try:
        report = ingest(
            engine,
            converter,
            provenance,
            batch_size=batch_size,
            on_error=on_error,
            reject_path=reject_path,
            progress=progress,
        )
    except (RecordError, IngestError) as error:
        with engine.begin() as conn:
            audit(conn, actor, Action.CHANGE, {**subject, "result": str(error)},
                  outcome=Outcome.FAILED)  # fmt: skip
        raise
    result = (
        f"{report.records:,} records, {report.rejected} rejected, "
        f"{report.dropped_values} values left out"
    )
    proposed = _link_new(engine) if report.batches else 0
    if proposed:
        result += f", {proposed} pairs proposed for review"
    with engine.begin() as conn:
        audit(conn, actor, Action.CHANGE, {**subject, "result": result},
              result_size=report.statements)  # fmt: skip
        record_ingest(conn, kind, provenance, report, actor.name)
    return report


def _link_new(engine: Engine) -> int:
    """Link the persons the ingest brought, once a run has kept a model; returns the
    pairs proposed. A failure is logged, not raised: what the ingest wrote is
    committed, and the next catch-up links it (the keys' position moves only with
    a commit)."""
    try:
        with engine.begin() as conn:
            if incremental.model_run(conn) is None:
                return 0
            return incremental.catch_up(conn).candidates
    except Exception:
        _log.exception("the ingest's persons were not linked: the next catch-up links them")
        return 0


def _open_for_ingest(conn: Connection, actor: Actor, case: str) -> None:
    """Open the case an ingest names (as ``open_case``: an investigator, supervisor or
    administrator may); the account that opens it is its first member, so that it
    sees what it ingests."""
    open_case(conn, actor, case)
    if actor.account is not None:
        add_member(conn, case, actor.name, by=actor.name)
