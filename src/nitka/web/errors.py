"""How the API answers a refusal or an error, for its OpenAPI schema.

Every refusal names the field it is about, so that a client (or the person
behind it) can tell what to change: ``{"detail": {"field": ..., "error": ...}}``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    field: str
    """The request field, header or parameter the error is about."""
    error: str
    """What is wrong, in words for a person."""


class ErrorAnswer(BaseModel):
    detail: ErrorDetail | str


_MEANINGS = {
    400: "The request is malformed; the answer names the field.",
    401: "No token, or a token that is forged, expired or revoked.",
    403: "The caller's role may not do this, or a CSRF token is missing.",
    404: "No such entity, list or provider (or none the caller may see).",
    413: "The request or batch is too large.",
    429: "Too many sign-in attempts from this address: wait a minute.",
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorAnswer, "description": meaning} for code, meaning in _MEANINGS.items()
}
"""Documented on every route: the answers any of them may give."""
