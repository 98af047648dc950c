"""How the service answers a refusal or an error.

Every refusal names the field it is about, so that a client (or the person
behind it) can tell what to change: ``{"detail": {"field": ..., "error": ...}}``.
A ``NitkaError`` that no route caught is answered so (with its status, a
4xx), or under ``/ui/`` with an error page. Any other exception is a fault
of the server: the client gets a 500 with an error id and no more (no stack
trace, no database text), and the server's log has the same id with the
traceback, so the operator can find it.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import BaseModel

from nitka.errors import NitkaError
from nitka.web.logs import route_of

UI_PREFIX = "/ui"
_log = logging.getLogger("nitka.web")


class ErrorDetail(BaseModel):
    field: str
    """The request field, header or parameter the error is about."""
    error: str
    """What is wrong, in words for a person."""


class ServerErrorDetail(BaseModel):
    error: str
    error_id: str
    """Also in the server's log, beside the traceback."""


class ErrorAnswer(BaseModel):
    detail: ErrorDetail | ServerErrorDetail | str


_MEANINGS = {
    400: "The request is malformed; the answer names the field.",
    401: "No token, or a token that is forged, expired or revoked.",
    403: "The caller's role may not do this, or a CSRF token is missing.",
    404: "No such entity, list or provider (or none the caller may see).",
    409: "The service cannot do this as set up: a check against no watch list.",
    413: "The request or batch is too large.",
    429: "Too many sign-in attempts from this address: wait a minute.",
    500: "A fault of the server: the answer's error id is in the server's log.",
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorAnswer, "description": meaning} for code, meaning in _MEANINGS.items()
}
"""Documented on every route: the answers any of them may give."""


def add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NitkaError, _explained)
    app.add_exception_handler(Exception, _unexpected)


def _is_page(request: Request) -> bool:
    """A page of the workstation (not its scripts' JSON under ``/ui/api/``)."""
    path = request.url.path
    if path.startswith(UI_PREFIX + "/api/"):
        return False
    return path == UI_PREFIX or path.startswith(UI_PREFIX + "/")


async def _explained(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NitkaError)
    status = exc.status if 400 <= exc.status < 500 else 400
    if _is_page(request):
        return _page(request, status, message=exc.message, field=exc.field)
    return _json(status, {"detail": {"field": exc.field, "error": exc.message}})


async def _unexpected(request: Request, exc: Exception) -> Response:
    error_id = secrets.token_hex(8)
    # The route's template, not the path (it may hold an id); the traceback's frames, not
    # the exception's text (it may hold a statement's values): ``nitka.web.logs``.
    fields = {"error_id": error_id, "method": request.method, "route": route_of(request.scope)}
    _log.error("an unexpected error", extra=fields, exc_info=exc)
    if _is_page(request):
        return _page(request, 500, error_id=error_id)
    message = "an unexpected error on the server; it has been logged"
    return _json(500, {"detail": {"error": message, "error_id": error_id}})


def _json(status: int, body: dict[str, Any]) -> Response:
    import orjson

    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def _page(request: Request, status: int, **context: str) -> Response:
    # Imported here: the pages' templating imports the web package's dependencies.
    from nitka.web.ui.templating import render

    return render(request, "error.html", context, status_code=status)
