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
from nitka.store.replica import Reads
from nitka.web.analysis_api import router as analysis_router
from nitka.web.audit_api import router as audit_router
from nitka.web.auth import requires
from nitka.web.chat_pages import add_chat
from nitka.web.deps import ScreenerDep
from nitka.web.entities_api import router as entities_router
from nitka.web.errors import ERROR_RESPONSES, add_error_handlers
from nitka.web.exchange_api import delivery_loop
from nitka.web.exchange_api import router as exchange_router
from nitka.web.health import router as health_router
from nitka.web.metrics import router as metrics_router
from nitka.web.observe import ObserveMiddleware
from nitka.web.offline_api import router as offline_router
from nitka.web.oidc import router as oidc_router
from nitka.web.reading import WrittenMiddleware
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
    reads = Reads.of(engine, settings)
    app.state.reads = reads
    app.state.screener = Screener(engine, lists, reads=reads)
    app.state.settings = settings
    if settings.agency_id:
        app.state.keys = load_or_create(Path(settings.keys_dir))
    if reads.replica is not None:
        app.add_middleware(WrittenMiddleware, reads=reads)
    app.add_middleware(SecurityMiddleware, https_only=settings.mode == "production")
    # Added last, so outermost: it times and logs the security middleware's refusals too.
    app.add_middleware(ObserveMiddleware, log_addresses=settings.log_addresses)
    routers = (
        screen_router,
        entities_router,
        session_router,
        oidc_router,
        audit_router,
        exchange_router,
        resolve_router,
        analysis_router,
        health_router,
        metrics_router,
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
    """The app's life; its end closes the read replica's connections."""
    try:
        async with _delivering(app):
            yield
    finally:
        replica = app.state.reads.replica
        if replica is not None:
            replica.dispose()


@asynccontextmanager
async def _delivering(app: FastAPI) -> AsyncIterator[None]:
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
