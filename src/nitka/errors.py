"""The errors Nitka expects and can explain: what is wrong, and in which field.

Callers (the CLI, the API, the workstation's pages) show the field beside
the message, so that the person who sent the input knows where to look. The
web application answers any ``NitkaError`` that reaches it with its
``status`` (a 4xx) and ``{"detail": {"field": ..., "error": ...}}``, or with
an error page under ``/ui/`` (``nitka.web.errors``).
"""

from __future__ import annotations


class NitkaError(Exception):
    """An error of the caller's making, explained, with the field it concerns."""

    status: int = 400
    """The HTTP status an API answers it with (a 4xx)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class FieldError(NitkaError, ValueError):
    """Bad input, with the field it is in."""
