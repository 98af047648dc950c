"""The FastAPI application: ``nitka serve`` runs it in gunicorn's uvicorn workers
(``nitka.web.server``)."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from sqlalchemy import Engine

from nitka.access.accounts import Account, Role
from nitka.exchange.keys import load_or_create
from nitka.screen.service import Screener
from nitka.settings import Settings
from nitka.web.analysis_api import router as analysis_router
from nitka.web.audit_api import router as audit_router
from nitka.web.auth import requires
from nitka.web.chat_pages import add_chat
from nitka.web.deps import ScreenerDep
from nitka.web.entities_api import router as entities_router
from nitka.web.errors import ERROR_RESPONSES, add_error_handlers
from nitka.web.exchange_api import delivery_loop
from nitka.web.exchange_api import router as exchange_router
from nitka.web.offline_api import router as offline_router
from nitka.web.oidc import router as oidc_router
from nitka.web.resolve_api import router as resolve_router
from nitka.web.screen_api import router as screen_router
from nitka.web.security import SecurityMiddleware
from nitka.web.session import router as session_router
from nitka.web.ui.routes import add_workstation


def create_app(engine: Engine, lists: Sequence[str], settings: Settings | None = None) -> FastAPI:
    """The service over one store, checking against these watch lists."""
    settings = settings or Settings()
    app = FastAPI(
        title="Nitka",
        summary="Checks of persons, travel documents and vehicles against watch lists.",
        version="0.1",
        lifespan=_lifespan,
    )
    app.state.screener = Screener(engine, lists)
    app.state.settings = settings
    if settings.agency_id:
        app.state.keys = load_or_create(Path(settings.keys_dir))
    app.add_middleware(SecurityMiddleware, https_only=settings.mode == "production")
    routers = (
        screen_router,
        entities_router,
        session_router,
        oidc_router,
        audit_router,
        exchange_router,
        resolve_router,
        analysis_router,
        offline_router,
    )
    for router in routers:
        app.include_router(router, responses=ERROR_RESPONSES)
    add_workstation(app)
    add_chat(app, engine, settings)
    add_error_handlers(app)

    @app.get("/healthz", responses=ERROR_RESPONSES)
    def health(
        screener: ScreenerDep, _: Account = Depends(requires(frozenset(Role)))
    ) -> dict[str, object]:
        return {
            "status": "ok",
            "lists": list(screener.lists),
            "entries": len(screener.index),
            "worker": os.getpid(),
        }

    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """With the exchange on, each server process delivers the outbox in a thread (the
    outbox's claims keep two processes from sending one message at once)."""
    if not app.state.settings.agency_id:
        yield
        return
    stop, wake = threading.Event(), threading.Event()
    app.state.deliver_now = wake
    worker = threading.Thread(
        target=delivery_loop,
        args=(app.state.screener.engine, stop, wake),
        name="nitka-outbox",
        daemon=True,
    )
    worker.start()
    try:
        yield
    finally:
        stop.set()
        wake.set()
        worker.join(timeout=15)
