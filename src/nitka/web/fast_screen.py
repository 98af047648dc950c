"""``POST /screen``'s everyday request, answered past the framework's routing.

At a border crossing nearly every request is alike: one query (or a
passenger list), a token this process has already taken, a stated purpose.
For such a request FastAPI's routing, dependency injection and exception
layers cost about as much as the check itself, so this ASGI layer answers it
directly, with the same token cache, check, check log and answer as the
route (``nitka.web.screen_api``). Anything else (a token not seen lately, a
role that may not check, a body that is not a plain query, query
parameters, no purpose) goes on to the route with its body replayed, so
every refusal is still made, worded and audited in one place.
"""

from __future__ import annotations

import orjson
from pydantic import ValidationError
from starlette.requests import Request

from nitka.screen.audit import AuditError, CheckContext
from nitka.screen.recorder import CheckLogError
from nitka.screen.service import MAX_BATCH, Screener
from nitka.web.auth import CHECKERS, remembered_account, viewer_of
from nitka.web.screen_api import ScreenRequest, log_unavailable, screen_reply
from nitka.web.security import (
    MAX_BODY_BYTES,
    ASGIApp,
    Message,
    Receive,
    Scope,
    Send,
    send_json,
)

PATH = "/screen"


class FastScreen:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        if not complete or not await self._answer(scope, body, send):
            await self.app(scope, _replay(body, complete, receive), send)

    async def _answer(self, scope: Scope, body: bytes, send: Send) -> bool:
        """Answer a plain request; False (nothing sent, nothing logged) for any other."""
        if scope.get("query_string"):
            return False
        headers = dict(scope["headers"])
        account = remembered_account(headers.get(b"authorization", b"").decode("latin-1"))
        if account is None or account.role not in CHECKERS:
            return False
        try:
            request = ScreenRequest.model_validate(orjson.loads(body))
        except (orjson.JSONDecodeError, ValidationError):
            return False
        batch = request.queries is not None
        queries = (
            request.queries
            if request.queries is not None
            else [{"schema": request.schema_, "properties": request.properties}]
        )
        if not queries or len(queries) > MAX_BATCH:
            return False
        purpose = request.purpose or headers.get(b"x-nitka-purpose", b"").decode("latin-1")
        client = scope.get("client")
        try:
            context = CheckContext(
                user=account.name,
                purpose=purpose,
                channel="api",
                origin=f"api@{client[0]}" if client else "api",
            )
        except AuditError:
            return False
        starlette_request = Request(scope)
        screener: Screener = starlette_request.app.state.screener
        viewer = viewer_of(starlette_request, account)
        try:
            answers = await screener.screen_logged(queries, context)
        except CheckLogError as error:
            await send_json(send, 503, log_unavailable(error))
            return True
        status, reply = screen_reply(answers, viewer, batch=batch)
        await send_json(send, status, reply)
        starlette_request.app.state.screened_directly += 1
        return True


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The request's body, and whether it was read whole (within the size limit)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > MAX_BODY_BYTES:
            return b"".join(chunks), False


def _replay(body: bytes, complete: bool, receive: Receive) -> Receive:
    """A receive that gives the body read so far first, then whatever follows."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": not complete}

    return replay
