"""The review of what a resolution run proposes: the queue (least certain first), a
candidate pair side by side with the model's waterfall, decisions and taking them
back, batches above the administrator's threshold and undoing them, and the
administrator's threshold.

Every read, decision and batch goes through ``nitka.services.resolution_review``,
which checks the role and need-to-know and writes the audit record; a refused
step is answered in words where the form's answer goes.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from nitka.errors import FieldError
from nitka.services import resolution_review as resolving
from nitka.services.guard import NotFoundError, transaction
from nitka.services.resolution_review import SideBySide
from nitka.web.deps import EngineDep, RowId
from nitka.web.ui.guard import AdministratorDep, ReaderDep
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.resolve_words import (
    DECISION_WORDS,
    explain,
    side_by_side,
    signed,
    waterfall,
    words,
)
from nitka.web.ui.templating import not_found, refusal, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
RECENT = 10


@router.get("/ui/resolve", response_class=HTMLResponse)
def review_page(
    request: Request, engine: EngineDep, actor: ReaderDep, page: int = Query(1, ge=1, le=500)
) -> Response:
    """The open count, the latest run's figures, a page of the queue, my decisions
    and the batches."""
    with transaction(engine) as conn:
        count = resolving.open_candidates(conn, actor)
        latest = resolving.latest_run(conn, actor)
        # The service has no offset: a page is the tail of the queue up to it.
        queue = resolving.queue(conn, actor, limit=page * PAGE_SIZE)[(page - 1) * PAGE_SIZE :]
        mine = resolving.my_decisions(conn, actor, limit=RECENT)
        batches = resolving.batches(conn, actor, limit=RECENT)
        threshold = resolving.batch_threshold(conn)
    context = {
        "open_count": count,
        "run": latest,
        "sizes": sorted(latest.sizes.items()) if latest is not None else [],
        "queue": [_summary(shown) for shown in queue],
        "page": page,
        "more": len(queue) == PAGE_SIZE,
        "decisions": [_summary(shown) for shown in mine],
        "batches": batches,
        "threshold": threshold,
    }
    return render(request, "resolve.html", context, account=actor.account)


@router.get("/ui/resolve/threshold", response_class=HTMLResponse)
def threshold_page(request: Request, engine: EngineDep, actor: AdministratorDep) -> Response:
    """The administrator's threshold for batches (a setting: no case data)."""
    with transaction(engine) as conn:
        threshold = resolving.batch_threshold(conn)
    return render(request, "resolve_threshold.html", {"threshold": threshold},
                  account=actor.account)  # fmt: skip


@router.post("/ui/resolve/threshold", response_class=HTMLResponse)
def set_threshold(
    engine: EngineDep, actor: AdministratorDep, threshold: float = Form(..., ge=0, le=1)
) -> Response:
    try:
        with transaction(engine) as conn:
            resolving.set_batch_threshold(conn, actor, threshold)
    except FieldError as error:
        return refusal(explain(error))
    return Response(status_code=204, headers={"HX-Redirect": "/ui/resolve/threshold"})


@router.get("/ui/resolve/{candidate_id}", response_class=HTMLResponse)
def candidate_page(
    candidate_id: RowId, request: Request, engine: EngineDep, actor: ReaderDep
) -> Response:
    """Two entities side by side, the waterfall, and the buttons."""
    try:
        with transaction(engine) as conn:
            shown = resolving.candidate(conn, actor, candidate_id)
            following = resolving.next_candidate(conn, actor, after=candidate_id)
            mine = resolving.my_decisions(conn, actor, limit=RECENT)
            count = resolving.open_candidates(conn, actor)
    except NotFoundError:
        return not_found(request, actor.account, _no_candidate(candidate_id))
    found = shown.candidate
    context = {
        "pair": _summary(shown),
        "rows": side_by_side(shown.left, shown.right),
        "waterfall": waterfall(found.comparisons, found.weight),
        "next_id": following,
        "decisions": [_summary(s) for s in mine],
        "open_count": count,
    }
    return render(request, "resolve_candidate.html", context, account=actor.account)


@router.post("/ui/resolve/{candidate_id}/decision", response_class=HTMLResponse)
def decide(
    candidate_id: RowId,
    engine: EngineDep,
    actor: ReaderDep,
    decision: str = Form(..., max_length=20),
    reason: str = Form("", max_length=2000),
) -> Response:
    """Same, not the same, or unsure; then on to the next candidate."""
    try:
        with transaction(engine) as conn:
            resolving.decide(conn, actor, candidate_id, decision, reason)
        with transaction(engine) as conn:
            following = resolving.next_candidate(conn, actor, after=candidate_id)
    except NotFoundError:
        return refusal(_no_candidate(candidate_id), status_code=404)
    except FieldError as error:
        return refusal(explain(error))
    target = f"/ui/resolve/{following}" if following is not None else "/ui/resolve"
    return Response(status_code=204, headers={"HX-Redirect": target})


@router.post("/ui/resolve/{candidate_id}/take-back", response_class=HTMLResponse)
def take_back(
    candidate_id: RowId,
    engine: EngineDep,
    actor: ReaderDep,
    reason: str = Form("", max_length=2000),
) -> Response:
    """The decision retracted: the pair is open again, and shown."""
    try:
        with transaction(engine) as conn:
            resolving.take_back(conn, actor, candidate_id, reason)
    except NotFoundError:
        return refusal(_no_candidate(candidate_id), status_code=404)
    except FieldError as error:
        return refusal(explain(error))
    return Response(status_code=204, headers={"HX-Redirect": f"/ui/resolve/{candidate_id}"})


@router.post("/ui/resolve/batches", response_class=HTMLResponse)
def accept_batch(
    engine: EngineDep,
    actor: ReaderDep,
    reason: str = Form("", max_length=2000),
    at_least: str = Form("", max_length=20),
) -> Response:
    """Accept the clustered open pairs at or above the threshold (or ``at_least``)."""
    try:
        floor = float(at_least) if at_least.strip() else None
    except ValueError:
        return refusal(_("The least probability is a number such as 0.98."))
    try:
        with transaction(engine) as conn:
            resolving.accept_batch(conn, actor, reason, at_least=floor)
    except FieldError as error:
        return refusal(explain(error))
    return Response(status_code=204, headers={"HX-Redirect": "/ui/resolve"})


@router.post("/ui/resolve/batches/{batch_id}/undo", response_class=HTMLResponse)
def undo_batch(
    batch_id: RowId,
    engine: EngineDep,
    actor: ReaderDep,
    reason: str = Form("", max_length=2000),
) -> Response:
    try:
        with transaction(engine) as conn:
            resolving.undo_batch(conn, actor, batch_id, reason)
    except FieldError as error:
        return refusal(explain(error))
    return Response(status_code=204, headers={"HX-Redirect": "/ui/resolve"})


def _summary(shown: SideBySide) -> dict[str, Any]:
    """A pair as the lists and the page's header show it."""
    found = shown.candidate
    return {
        "id": found.id,
        "left_id": shown.left.id,
        "right_id": shown.right.id,
        "left": shown.left.caption(),
        "right": shown.right.caption(),
        "probability": f"{found.probability:.1%}",
        "weight": signed(found.weight),
        "clustered": found.clustered,
        "state": found.state,
        "decision": words(DECISION_WORDS, found.state),
        "decided_at": found.decided_at.isoformat(sep=" ", timespec="minutes")
        if found.decided_at
        else "",
    }


def _no_candidate(candidate_id: int) -> str:
    return _("There is no candidate %(id)s, or you may not see both of its entities.") % {
        "id": candidate_id
    }
