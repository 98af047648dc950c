"""Security headers on every answer, and a size limit on request bodies.

A pure ASGI middleware (no per-request task hand-over, unlike Starlette's
``BaseHTTPMiddleware``), because it runs on every screening request. The
answers carry police data, so nothing may be cached or framed, and a
browser must not guess content types. The OpenAPI pages (``/docs``,
``/redoc``) load FastAPI's documentation scripts, so they get no content
security policy of their own; every other answer forbids everything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

MAX_BODY_BYTES = 8 * 1024 * 1024
"""A batch of 1,000 checks is well under a megabyte; anything far larger is refused (413)."""
DOCUMENTATION = ("/docs", "/redoc")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_LOCKED_DOWN = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, https_only: bool = False) -> None:
        self.app = app
        self.headers = [*_HEADERS, _HSTS] if https_only else list(_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = _body_refusal(scope)
        if refusal is not None:
            await _refuse(send, *refusal, self.headers)
            return
        extra = list(self.headers)
        if not str(scope.get("path", "")).startswith(DOCUMENTATION):
            extra.append(_LOCKED_DOWN)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _body_refusal(scope: Scope) -> tuple[int, str] | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return 400, "Content-Length is not a number"
            if length > MAX_BODY_BYTES:
                return 413, f"the body is {length:,} bytes; at most {MAX_BODY_BYTES:,} are taken"
    return None


async def _refuse(
    send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]]
) -> None:
    body = orjson.dumps({"detail": {"field": "body", "error": message}})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
                _LOCKED_DOWN,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
