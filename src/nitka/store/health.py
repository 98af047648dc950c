"""Whether the store can serve, and how far a read replica is behind: what an
orchestrator's readiness probe and the metrics ask (``nitka.web.health``,
``nitka.web.metrics``). Nothing here reads a person's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from nitka.store.db import normalise_url
from nitka.store.migrate import alembic_config, current_revision, head_revision
from nitka.store.tables import ingest_run, ingest_summary


@dataclass(frozen=True)
class NotReady:
    """Why the store cannot serve: a short reason for the operator (no database text,
    which may carry values)."""

    check: str
    reason: str


def store_not_ready(engine: Engine) -> NotReady | None:
    """None when the database answers and its schema is this Nitka's newest; else why not."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = current_revision(engine)
    except SQLAlchemyError as error:
        return NotReady("database", f"the database does not answer ({type(error).__name__})")
    head = head_revision(engine)
    if current is None:
        return NotReady("schema", f"the store has no schema: run `nitka init` (to {head})")
    if current not in _known_revisions(engine):
        return NotReady(
            "schema",
            f"the store is at schema {current}, which a newer Nitka made; this one knows "
            f"up to {head}: run the newer Nitka (docs/upgrades.md)",
        )
    if current != head:
        return NotReady(
            "schema", f"the store is at schema {current}, this Nitka needs {head}: run `nitka init`"
        )
    return None


def _known_revisions(engine: Engine) -> set[str]:
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    return {script.revision for script in scripts.walk_revisions()}


@dataclass(frozen=True)
class IngestProgress:
    """Ingests under way (their committed batches, ``ingest_run``) and what finished
    ingests brought in (``ingest_summary``, one row per source)."""

    running: int
    running_records: int
    """Records committed so far by the ingests under way (a batch at a time)."""
    last_batch_at: float | None
    """When the latest batch of an ingest under way was committed (Unix seconds)."""
    finished: int
    statements: int
    """Statements the latest ingest of every source brought in."""


def ingest_progress(engine: Engine) -> IngestProgress:
    with engine.connect() as conn:
        running, records, last = conn.execute(
            select(
                func.count(),
                func.coalesce(func.sum(ingest_run.c.records_done), 0),
                func.max(ingest_run.c.updated_at),
            ).where(ingest_run.c.finished.is_(False))
        ).one()
        finished = conn.execute(
            select(func.count()).select_from(ingest_run).where(ingest_run.c.finished.is_(True))
        ).scalar_one()
        statements = conn.execute(
            select(func.coalesce(func.sum(ingest_summary.c.statements), 0))
        ).scalar_one()
    return IngestProgress(
        running=int(running),
        running_records=int(records),
        last_batch_at=last.replace(tzinfo=UTC).timestamp() if last is not None else None,
        finished=int(finished),
        statements=int(statements),
    )


_REPLICA_LAG = text(
    "SELECT pg_is_in_recovery(), CASE "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


@dataclass(frozen=True)
class ReplicaState:
    in_recovery: bool
    """A streaming replica (True), or a primary named as the read database (False)."""
    lag_seconds: float | None
    """How long ago the newest replayed transaction was committed on the primary, 0 when
    the replica has replayed all it received; None on a primary."""


REPLICA_TIMEOUT_SECONDS = 3
"""A scrape does not wait longer than this for a replica that does not answer."""


def replica_state(url: str) -> ReplicaState:
    """The state of the read database at ``url`` (PostgreSQL only), on a connection of
    its own that is closed at once; raises SQLAlchemyError when it does not answer."""
    engine = create_engine(
        normalise_url(url),
        poolclass=NullPool,
        connect_args={"connect_timeout": REPLICA_TIMEOUT_SECONDS},
    )
    try:
        with engine.connect() as conn:
            in_recovery, lag = conn.execute(_REPLICA_LAG).one()
    finally:
        engine.dispose()
    if not in_recovery:
        return ReplicaState(False, None)
    return ReplicaState(True, float(lag) if lag is not None else None)
