"""``/resolve/...``: entity resolution over HTTP, through the same services as the
CLI and the workstation (``nitka.services.resolution``, ``resolution_review``).

A file of person records is linked without the store (``POST /resolve/file``):
the CSV in, ``id,cluster`` out, and a bad file is a 422 naming its row and
column. A run over the store, the review queue, decisions, batches and the
administrator's threshold are the review's services: each checks the role and
need-to-know and writes the audit record; a refusal or a bad value answers
through the app's handlers (403, 404, 400 with the field).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from nitka.errors import FieldError
from nitka.resolve.model import DEFAULT_THRESHOLD, Training
from nitka.resolve.records import RowError
from nitka.resolve.review import Batch, Candidate
from nitka.resolve.runs import Run
from nitka.services import resolution
from nitka.services import resolution_review as resolving
from nitka.services.guard import transaction
from nitka.services.resolution_review import SideBySide
from nitka.settings import Settings
from nitka.web.auth import ActorDep
from nitka.web.deps import EngineDep, RowId, SettingsDep

router = APIRouter(prefix="/resolve", tags=["resolution"])
MAX_FILE = 200 * 1024 * 1024
"""The largest CSV ``POST /resolve/file`` takes, in bytes."""


class RunAsked(BaseModel):
    datasets: list[str] = Field(default_factory=list, description="Only these (all if none).")
    threshold: float = Field(DEFAULT_THRESHOLD, gt=0, le=1, description="Links at or above.")
    training: Training = Training.AUTO
    engine: Literal["duckdb", "spark"] = Field("duckdb", description="Where Splink runs.")
    spark_master: str | None = Field(
        None, max_length=500, description="With spark: the server's master (NITKA_SPARK_MASTER)."
    )


class Decision(BaseModel):
    decision: Literal["same", "different", "unsure"]
    reason: str = Field(..., min_length=1, max_length=2000)


class Reason(BaseModel):
    reason: str = Field(..., min_length=1, max_length=2000)


class BatchAsked(BaseModel):
    reason: str = Field(..., min_length=1, max_length=2000)
    at_least: float | None = Field(
        None, ge=0, le=1, description="Higher than the administrator's threshold, if given."
    )


class Threshold(BaseModel):
    threshold: float = Field(..., ge=0.5, le=1)


@router.post(
    "/file",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "id,cluster"},
               422: {"description": "A bad file: the row and the column at fault."}},
)  # fmt: skip
def resolve_file(
    actor: ActorDep,
    file: UploadFile = File(..., description="A CSV of persons: id and FtM Person columns."),
    threshold: float = Query(DEFAULT_THRESHOLD, gt=0, le=1),
    training: Training = Query(Training.AUTO),
) -> Response:
    """Link the person records of the caller's own CSV into clusters (no store is read or
    written, as with ``nitka resolve file``); answers ``id,cluster``."""
    del actor  # signed in to use the server; the file is the caller's own
    with tempfile.TemporaryDirectory(prefix="nitka-resolve-") as folder:
        source, target = Path(folder) / "in.csv", Path(folder) / "out.csv"
        with source.open("wb") as out:
            shutil.copyfileobj(file.file, out, length=1024 * 1024)
        if source.stat().st_size > MAX_FILE:
            too_large = f"the file is larger than {MAX_FILE // 1024 // 1024} MB"
            return JSONResponse({"detail": {"field": "file", "error": too_large}}, status_code=413)
        try:
            found = resolution.resolve_file(source, target, threshold=threshold, training=training)
        except RowError as error:
            where = f"row {error.record}, column {error.field!r}"
            detail = {"field": error.field, "row": error.record, "column": error.field,
                      "error": f"{where}: {error.message}"}  # fmt: skip
            return JSONResponse({"detail": detail}, status_code=422)
        headers = {
            "X-Nitka-Records": str(found.records),
            "X-Nitka-Clusters": str(found.clusters),
            "X-Nitka-Largest": str(found.largest),
        }
        return Response(target.read_bytes(), media_type="text/csv", headers=headers)


@router.post("/runs")
def run(
    asked: RunAsked, engine: EngineDep, settings: SettingsDep, actor: ActorDep
) -> dict[str, Any]:
    """Link the store's persons and propose pairs for review (a run merges nothing).
    With the Spark engine, on the master the operator set (``NITKA_SPARK_MASTER``) only."""
    master = _spark_master(asked, settings) if asked.engine == "spark" else None
    with transaction(engine) as conn:
        done = resolving.run(conn, actor, datasets=asked.datasets, threshold=asked.threshold,
                             training=asked.training, engine=asked.engine,
                             spark_master=master)  # fmt: skip
    return run_json(done)


def _spark_master(asked: RunAsked, settings: Settings) -> str:
    """The operator's master: a request may repeat it, never name another, so that the
    server starts no JVM and connects to no host its operator did not choose."""
    configured = settings.spark_master
    if not configured:
        raise FieldError("this server runs no Spark: its operator sets NITKA_SPARK_MASTER",
                         field="engine")  # fmt: skip
    if asked.spark_master and asked.spark_master.strip() != configured.strip():
        raise FieldError(f"this server runs Spark on its operator's master only, not "
                         f"{asked.spark_master!r}", field="spark_master")  # fmt: skip
    return configured


@router.get("/runs/latest")
def latest_run(engine: EngineDep, actor: ActorDep) -> dict[str, Any] | None:
    """The figures of the latest run, or null if there was none."""
    with transaction(engine) as conn:
        found = resolving.latest_run(conn, actor)
    return None if found is None else run_json(found)


@router.get("/candidates")
def queue(
    engine: EngineDep, actor: ActorDep, limit: int = Query(20, ge=1, le=500)
) -> dict[str, Any]:
    """Open candidate pairs the caller may see, least certain first, with the waterfall."""
    with transaction(engine) as conn:
        count = resolving.open_candidates(conn, actor)
        found = resolving.queue(conn, actor, limit=limit)
    return {"open": count, "candidates": [pair_json(shown) for shown in found]}


@router.get("/candidates/{candidate_id}")
def candidate(candidate_id: RowId, engine: EngineDep, actor: ActorDep) -> dict[str, Any]:
    """One pair, with both entities as the caller may see them."""
    with transaction(engine) as conn:
        shown = resolving.candidate(conn, actor, candidate_id)
    return {**pair_json(shown), "left": shown.left.as_dict(), "right": shown.right.as_dict()}


@router.post("/candidates/{candidate_id}/decision")
def decide(
    candidate_id: RowId, decided: Decision, engine: EngineDep, actor: ActorDep
) -> dict[str, Any]:
    """Same (a merge), different (kept apart in every later run) or unsure."""
    with transaction(engine) as conn:
        found = resolving.decide(conn, actor, candidate_id, decided.decision, decided.reason)
    return candidate_json(found)


@router.post("/candidates/{candidate_id}/take-back")
def take_back(
    candidate_id: RowId, why: Reason, engine: EngineDep, actor: ActorDep
) -> dict[str, Any]:
    """Retract a decision: the pair is open again, and a merge it made is separated."""
    with transaction(engine) as conn:
        found = resolving.take_back(conn, actor, candidate_id, why.reason)
    return candidate_json(found)


@router.post("/batches")
def accept_batch(asked: BatchAsked, engine: EngineDep, actor: ActorDep) -> dict[str, Any]:
    """Accept at once the open pairs clustered together at or above the threshold."""
    with transaction(engine) as conn:
        batch = resolving.accept_batch(conn, actor, asked.reason, at_least=asked.at_least)
    return batch_json(batch)


@router.post("/batches/{batch_id}/undo")
def undo_batch(batch_id: RowId, why: Reason, engine: EngineDep, actor: ActorDep) -> dict[str, Any]:
    """Retract every merge of a batch; its pairs are open again."""
    with transaction(engine) as conn:
        reopened = resolving.undo_batch(conn, actor, batch_id, why.reason)
    return {"batch": batch_id, "reopened": reopened}


@router.put("/batch-threshold")
def set_batch_threshold(asked: Threshold, engine: EngineDep, actor: ActorDep) -> dict[str, Any]:
    """The least probability a batch may accept (administrators only)."""
    with transaction(engine) as conn:
        resolving.set_batch_threshold(conn, actor, asked.threshold)
    return {"threshold": asked.threshold}


def run_json(found: Run) -> dict[str, Any]:
    data = asdict(found)
    data["sizes"] = {str(size): n for size, n in found.sizes.items()}
    data["started_at"] = found.started_at.isoformat()
    data["finished_at"] = found.finished_at.isoformat()
    return data


def candidate_json(found: Candidate) -> dict[str, Any]:
    data = asdict(found)
    data["comparisons"] = [{"comparison": name, "level": level, "weight": weight}
                           for name, level, weight in found.comparisons]  # fmt: skip
    data["decided_at"] = found.decided_at.isoformat() if found.decided_at else None
    return data


def pair_json(shown: SideBySide) -> dict[str, Any]:
    """A candidate with the captions of its two sides (as the caller may see them)."""
    return {
        **candidate_json(shown.candidate),
        "left_caption": shown.left.caption(),
        "right_caption": shown.right.caption(),
    }


def batch_json(batch: Batch) -> dict[str, Any]:
    data = asdict(batch)
    data["created_at"] = batch.created_at.isoformat()
    data["undone_at"] = batch.undone_at.isoformat() if batch.undone_at else None
    return data
