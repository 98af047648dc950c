"""``/offline/...``: what a laptop's offline copy is made and kept up to date from.

``GET /offline/start``, ``/offline/entries`` and ``/offline/changes`` answer
pages signed with the instance's Ed25519 key (``X-Nitka-Signature``), which
the copy checks with the key it pinned at its pull; ``POST /offline/checks``
takes the checks a copy made offline. The work and the audit records are
``nitka.services.offline``'s.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from nitka.exchange.keys import InstanceKeys, load_or_create
from nitka.offline.wire import PAGE_CHANGES, PAGE_ENTRIES, SIGNATURE_HEADER, encode
from nitka.services import offline
from nitka.services.guard import transaction
from nitka.web.auth import ActorDep
from nitka.web.deps import EngineDep, ScreenerDep

router = APIRouter(prefix="/offline", tags=["offline"])
_loading = threading.Lock()


def signing_keys(request: Request) -> InstanceKeys:
    """The instance's keys (``NITKA_KEYS_DIR``), made there the first time."""
    found: InstanceKeys | None = getattr(request.app.state, "keys", None)
    if found is not None:
        return found
    with _loading:
        found = getattr(request.app.state, "keys", None)
        if found is None:
            folder = Path(request.app.state.settings.keys_dir)
            try:
                found = load_or_create(folder)
            except FileExistsError:  # another worker made them a moment ago
                found = load_or_create(folder)
            request.app.state.keys = found
    return found


KeysDep = Annotated[InstanceKeys, Depends(signing_keys)]


class Upload(BaseModel):
    copy_: str = Field(alias="copy", description="The copy's id (made at its pull).")
    checks: list[Any] = Field(description="Checks from the copy's log, each with its number.")


def _signed(page: dict[str, Any], keys: InstanceKeys) -> Response:
    body = encode(page)
    return Response(
        body, media_type="application/json", headers={SIGNATURE_HEADER: keys.sign(body).hex()}
    )


@router.get("/start")
def start(engine: EngineDep, screener: ScreenerDep, actor: ActorDep, keys: KeysDep) -> Response:
    """The first page of a pull: the account, its lists, the starting position, the key."""
    with transaction(engine) as conn:
        page = offline.start(conn, actor, screener.lists, keys.signing_public)
    return _signed(page, keys)


@router.get("/entries")
def entries(
    engine: EngineDep,
    screener: ScreenerDep,
    actor: ActorDep,
    keys: KeysDep,
    after: str = Query("", max_length=255, description="The last entity id of the page before."),
    limit: int = Query(PAGE_ENTRIES, description="Entities on the page."),
) -> Response:
    """A page of the listed entities the account may see, in id order."""
    with transaction(engine) as conn:
        page = offline.entries(conn, actor, screener.lists, after, limit)
    return _signed(page, keys)


@router.get("/changes")
def changes(
    engine: EngineDep,
    screener: ScreenerDep,
    actor: ActorDep,
    keys: KeysDep,
    after: int = Query(0, ge=0, le=2**31 - 1, description="The copy's position (a change number)."),
    limit: int = Query(PAGE_CHANGES, description="Change records on the page."),
) -> Response:
    """The entities changed after the position, as the copy should hold them now."""
    with transaction(engine) as conn:
        page = offline.changes(conn, actor, screener.lists, after, limit)
    return _signed(page, keys)


@router.post("/checks")
def checks(engine: EngineDep, actor: ActorDep, upload: Upload) -> dict[str, int]:
    """Checks made on a copy while offline: each stored once, however often sent."""
    with transaction(engine) as conn:
        return offline.receive_checks(conn, actor, upload.copy_, upload.checks)
