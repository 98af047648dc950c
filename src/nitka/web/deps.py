"""What routes are given by FastAPI's dependency injection: the store, the settings,
the screening service and the instance's exchange keys.

``create_app`` keeps them on the application once; routes and other
dependencies ask for them by type (``engine: EngineDep``), and nothing else
in ``nitka.web`` reads ``app.state``. The functions are coroutines that only
read an attribute, so that FastAPI calls them on the event loop instead of
handing each to its thread pool.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy import Engine

from nitka.exchange.keys import InstanceKeys
from nitka.screen.service import Screener
from nitka.settings import Settings


async def screener(request: Request) -> Screener:
    found: Screener = request.app.state.screener
    return found


async def engine(request: Request) -> Engine:
    found: Screener = request.app.state.screener
    return found.engine


async def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


async def keys(request: Request) -> InstanceKeys | None:
    """The instance's exchange keys; None when the exchange is off."""
    found: InstanceKeys | None = getattr(request.app.state, "keys", None)
    return found


async def delivery(request: Request) -> threading.Event | None:
    """Wakes the outbox's delivery thread; None when the exchange is off."""
    found: threading.Event | None = getattr(request.app.state, "deliver_now", None)
    return found


ScreenerDep = Annotated[Screener, Depends(screener)]
EngineDep = Annotated[Engine, Depends(engine)]
SettingsDep = Annotated[Settings, Depends(settings)]
KeysDep = Annotated[InstanceKeys | None, Depends(keys)]
DeliveryDep = Annotated[threading.Event | None, Depends(delivery)]


RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="A row's number in the store.")]
"""A stored row's number in a route's path: a positive integer as the id columns hold it, so that a
larger one is a 422 rather than an overflow in the database driver."""
