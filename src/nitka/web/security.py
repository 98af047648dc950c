"""Security headers on every answer, and a size limit on request bodies.

A pure ASGI middleware (no per-request task hand-over, unlike Starlette's
``BaseHTTPMiddleware``), because it runs on every screening request. The
answers carry police data, so nothing may be cached or framed, and a
browser must not guess content types. The OpenAPI pages (``/docs``,
``/redoc``) load FastAPI's documentation scripts, so they get no content
security policy of their own; the workstation's pages (``/ui/``) may load
this server's own scripts, styles and images and nothing else; every other
answer forbids everything. Static files (the bundled scripts and styles, no
police data) may be cached for an hour.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

import orjson

MAX_BODY_BYTES = 8 * 1024 * 1024
"""A batch of 1,000 checks is well under a megabyte; anything far larger is refused (413)."""
DOCUMENTATION = ("/docs", "/redoc")
WORKSTATION = "/ui/"
PUBLIC_CHAT = "/chat"
"""The public chat page (no sign-in, no police data): the workstation's policy."""
STATIC = "/static/"

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
_WORKSTATION_POLICY = (
    b"content-security-policy",
    b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data: blob:; "
    b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    b"frame-ancestors 'none'",
)
"""The workstation's pages load only this server's scripts, styles and images:
nothing from outside, no inline script (a closed police network has no CDN).
Inline styles are allowed: Cytoscape and vis-timeline write style elements as
they draw, and a style cannot run code."""
_STATIC_CACHE = (b"cache-control", b"private, max-age=3600")
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
        path = str(scope.get("path", ""))
        if path.startswith(STATIC):
            extra = [h for h in self.headers if h[0] != b"cache-control"]
            extra += [_STATIC_CACHE, _LOCKED_DOWN]
        elif path.startswith(WORKSTATION) or path in ("/", PUBLIC_CHAT):
            extra = [*self.headers, _WORKSTATION_POLICY]
        elif path.startswith(DOCUMENTATION):
            extra = list(self.headers)
        else:
            extra = [*self.headers, _LOCKED_DOWN]

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
    detail = {"detail": {"field": "body", "error": message}}
    await send_json(send, status, detail, [*headers, _LOCKED_DOWN])


async def send_json(
    send: Send, status: int, data: Any, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """Answer with ``data`` as JSON (orjson), straight through ASGI."""
    body = orjson.dumps(data)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
