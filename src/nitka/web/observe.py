"""Each request timed, counted and written to the log, under its route's template.

A pure ASGI middleware (it runs on every screening request). The route is the
template the router matched (``/entities/{entity_id}``), so that neither the log
nor the metrics' labels ever hold a path with an id in it; a path that matched
no route is ``unmatched``. Each request gets an id (``X-Request-ID`` on the
answer; a reverse proxy's own id is kept if it is hexadecimal, a UUID),
written on every log line made while it is answered.
"""

from __future__ import annotations

import logging
import re
import secrets
import time

from nitka.web.logs import REQUEST_ID, route_of
from nitka.web.metrics import LATENCY, REQUESTS
from nitka.web.security import ASGIApp, Message, Receive, Scope, Send

_GIVEN_ID = re.compile(r"[0-9A-Fa-f-]{8,64}")
"""A caller's (a reverse proxy's) request id is kept only in hexadecimal (a UUID):
text in it could name someone."""
_log = logging.getLogger("nitka.web.requests")


class ObserveMiddleware:
    def __init__(self, app: ASGIApp, *, log_addresses: bool = False) -> None:
        self.app = app
        self.log_addresses = log_addresses

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode("ascii")),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            elapsed = time.perf_counter() - started
            method = str(scope.get("method", ""))
            route = route_of(scope)
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(elapsed)
            if _log.isEnabledFor(logging.INFO):
                fields: dict[str, object] = {
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                }
                client = scope.get("client")
                if self.log_addresses and client:
                    fields["client"] = str(client[0])
                # The record made here rather than by ``_log.info``, which would walk the
                # stack for the caller's file and line (a third of a line's cost).
                _log.handle(
                    _log.makeRecord(
                        _log.name, logging.INFO, "", 0, "request", (), None, extra=fields
                    )
                )
            REQUEST_ID.reset(token)


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            given = bytes(value).decode("latin-1")
            if _GIVEN_ID.fullmatch(given):
                return given
            break
    return secrets.token_hex(8)
