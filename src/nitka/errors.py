"""The error every kind of bad input shares: what is wrong, and in which field.

Callers (the CLI, the API) show the field beside the message, so that the
person who sent the input knows where to look.
"""

from __future__ import annotations


class FieldError(ValueError):
    """Bad input, with the field it is in."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
