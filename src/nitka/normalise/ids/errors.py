"""The one error of identifier validation: what is wrong, and in which field."""

from __future__ import annotations


class IdentifierError(ValueError):
    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"
