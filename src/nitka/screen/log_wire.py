"""What crosses the socket between a server's workers and the check log's writer.

A worker sends ``(seq, wire)`` for each request: its number on that
connection and the request's context and checks as plain tuples (which
pickle some five times faster than the named tuples and dataclasses they
are made from). The writer answers ``(seq, log_ids, None)`` once the
request is committed, or ``(seq, None, error)`` if it could not be logged.
Messages are pickles behind a four-byte length.

Pickles are safe here because both ends are this server's own processes:
the socket lies in a folder that only the server's user can open
(``tempfile.mkdtemp``).
"""

from __future__ import annotations

import logging
import pickle
import struct
from collections.abc import Iterator
from typing import Any

from nitka.errors import FieldError
from nitka.screen.audit import AuditError, Check, CheckContext, LoggedHit
from nitka.screen.recorder import CheckLogError, LoggedRequest, Request

_LENGTH = struct.Struct("!I")
_log = logging.getLogger(__name__)

Wire = tuple[
    tuple[str, str, str, str],
    bool,
    list[tuple[Any, list[tuple[str, tuple[str, ...], tuple[str, ...], float]], str | None]],
]
"""A request: its context (user, purpose, channel, origin), whether it is audited,
and each check's query, hits (entry id, lists, records, score) and error."""

WireError = tuple[str, str, str]
"""Why a request was not logged: the error's class name, its message and its field
(the message and field empty unless the request itself was at fault)."""

Reply = tuple[int, list[int] | None, WireError | None]
"""A request's sequence number, and its log ids or its error."""


def frame(payload: object) -> bytes:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


def unframe(buffer: bytearray) -> Iterator[Any]:
    """The whole messages at the start of the buffer, taken out of it."""
    while len(buffer) >= _LENGTH.size:
        (length,) = _LENGTH.unpack_from(buffer)
        end = _LENGTH.size + length
        if len(buffer) < end:
            return
        message = pickle.loads(buffer[_LENGTH.size : end])
        del buffer[:end]
        yield message


def to_wire(request: Request) -> Wire:
    """The request's context and checks, as ``LoggedRequest`` keeps them, in plain tuples."""
    context = request.context
    return (
        (context.user, context.purpose, context.channel, context.origin),
        request.audited,
        [
            (
                answer.query,
                [
                    (hit.entry.id, hit.entry.lists, hit.entry.records, hit.score)
                    for hit in (answer.result.hits if answer.result is not None else ())
                ],
                str(answer.error) if answer.error is not None else None,
            )
            for answer in request.answers
        ],
    )


def from_wire(wire: Wire) -> LoggedRequest:
    (user, purpose, channel, origin), audited, checks = wire
    context = CheckContext(user, purpose, channel, origin)
    return LoggedRequest(
        context,
        tuple(
            Check(context, query, tuple(LoggedHit(*hit) for hit in hits), error)
            for query, hits, error in checks
        ),
        audited,
    )


def error_to_wire(error: Exception) -> WireError:
    """What the worker is told: a field error as it is; of anything else, only that
    the log failed (the database's own message, with its SQL and values, is
    for the operator's log, not for the client)."""
    if isinstance(error, FieldError):
        return type(error).__name__, error.message, error.field
    _log.error("the check log could not be written: %s", error)
    return type(error).__name__, "", ""


def error_from_wire(error: WireError) -> Exception:
    """The error the request would have had in process."""
    kind, message, field_name = error
    if kind == AuditError.__name__:
        return AuditError(message, field=field_name)
    if field_name:
        return FieldError(message, field=field_name)
    return CheckLogError("the check log could not be written")
