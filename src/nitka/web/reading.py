"""Read-your-writes over HTTP when reads go to a replica (docs/replica.md).

After a write (any request but GET, HEAD and OPTIONS that succeeds, except the
checks, whose writes are their log), ``WrittenMiddleware`` takes the
primary's WAL position and gives it back to the caller twice: as the cookie
``nitka_written`` (a browser, or any client that keeps cookies, sends it with
its next request) and as the header ``X-Nitka-Written`` (an API client may send
it back as ``X-Nitka-Written`` itself). A read route asks for ``ReadingDep``,
which bound to that position waits for the replica to replay it
(``nitka.store.replica.Reads``). The position is only a point to wait for: a
forged one costs its sender a wait and a read on the primary, nothing more.

A pure ASGI middleware, added only when a replica is configured, so that a
server without one pays nothing for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from anyio import to_thread
from fastapi import Depends, Request
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from nitka.store.replica import Reads, format_lsn, parse_lsn
from nitka.web.security import ASGIApp, Message, Receive, Scope, Send

_log = logging.getLogger(__name__)
COOKIE = "nitka_written"
HEADER = "x-nitka-written"
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_CHECK, _MATCH = "/screen", "/match/"
"""The checking routes write only their check log, which no read waits for: thousands
of checks a second pay no WAL position each."""
T = TypeVar("T")


@dataclass(frozen=True)
class Reading:
    """Where a request's reads go, after the caller's last write."""

    reads: Reads
    after: int | None

    def run(self, conn: Connection, work: Callable[[Connection], T]) -> T:
        """``work`` on the replica if it may serve this caller, else on ``conn``, the
        caller's transaction on the primary (``Reads.run``)."""
        if self.reads.replica is None:
            return work(conn)
        return self.reads.run(work, self.after, primary=conn)


async def reading(request: Request) -> Reading:
    reads: Reads = request.app.state.reads
    if reads.replica is None:
        return Reading(reads, None)
    given = request.headers.get(HEADER) or request.cookies.get(COOKIE)
    return Reading(reads, parse_lsn(given))


ReadingDep = Annotated[Reading, Depends(reading)]


class WrittenMiddleware:
    """Gives the caller of a successful write the primary's WAL position after it."""

    def __init__(self, app: ASGIApp, *, reads: Reads) -> None:
        self.app = app
        self.reads = reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in _READS
            or scope["path"] == _CHECK
            or scope["path"].startswith(_MATCH)
        ):
            await self.app(scope, receive, send)
            return

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                # The route's transaction has committed before its answer starts.
                try:
                    lsn = await to_thread.run_sync(self.reads.written)
                except DBAPIError:
                    # The write stands; only its user's next read may not wait for it.
                    _log.warning("the primary's WAL position could not be read after a write")
                    lsn = None
                if lsn is not None:
                    text = format_lsn(lsn).encode()
                    message.setdefault("headers", [])
                    message["headers"] = [
                        *message["headers"],
                        (HEADER.encode(), text),
                        (b"set-cookie", COOKIE.encode() + b"=" + text + _COOKIE_FLAGS),
                    ]
            await send(message)

        await self.app(scope, receive, noting)


_COOKIE_FLAGS = b"; Path=/; HttpOnly; SameSite=Lax"
