"""The errors Nitka expects and can explain: what is wrong, in which record and field.

Callers (the CLI, the API, the workstation's pages) show the field beside
the message, so that the person who sent the input knows where to look. The
web application answers any ``NitkaError`` that reaches it with its
``status`` (a 4xx) and ``{"detail": {"field": ..., "error": ...}}``, or with
an error page under ``/ui/`` (``nitka.web.errors``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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


class IngestError(Exception):
    """A whole input cannot be ingested (missing, empty, unreadable, a bad mapping)."""


class RecordError(ValueError):
    """One record is bad. Names the file, the record number and the field."""

    stored_records: int | None = None
    """Set by an ingest that stops at this record: how many records before it are
    stored (the batches committed before the one that holds it)."""

    def __init__(self, message: str, *, field: str, record: int = 0, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.record = record
        self.path = path

    def located(self, path: Path | str, record: int) -> RecordError:
        """The same error, placed in a file and record (converters leave these out)."""
        return RecordError(self.message, field=self.field, record=record, path=str(path))

    def __str__(self) -> str:
        return f"{self.path}, record {self.record}, field {self.field!r}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only fields: rebuilt through a helper, so that the error
        # crosses from the parser process intact.
        return (_rebuild_record_error, (self.message, self.field, self.record, self.path))


def _rebuild_record_error(message: str, field: str, record: int, path: str) -> RecordError:
    return RecordError(message, field=field, record=record, path=path)


@dataclass(frozen=True)
class BadRecord:
    """A record a reader could not even parse (broken JSON, not UTF-8).

    Readers yield it in the record's place instead of raising, so that in
    reject mode the ingest can file it and go on with the next record.
    """

    error: RecordError
    raw: str
