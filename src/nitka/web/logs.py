"""The server's log: one JSON object a line on standard error, and nothing in it about
a person.

A police server's log leaves the police network more easily than its database
does: it goes to a log collector, a ticket, a vendor's support. So the log is
built to hold no personal data whatever a caller writes into it:

- a request's line names the route's template (``/entities/{entity_id}``), never
  the path it was called with, and never its query string, body, headers,
  account or address (the address only when the operator turns
  ``NITKA_LOG_ADDRESSES`` on);
- a message's arguments are not written as text: a number stays, an exception
  becomes its class's name, anything else becomes ``<redacted>`` (a database
  error's text carries the values of its statement, a person's name among them);
  only gunicorn's own start-up lines keep theirs (``TRUSTED``);
- an exception is written as its class and the frames it passed (file, line,
  function), without its message.

Facts the operator needs go in as named fields (``extra={"error_id": ...}``) of
the ones this module lets through (``FIELDS``). ``configure`` is the one place that
sets the log up; ``gunicorn_config`` gives gunicorn's own loggers the same form.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import MutableMapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

REQUEST_ID: ContextVar[str] = ContextVar("nitka_request_id", default="")
"""The id of the request being answered (``nitka.web.observe``), on every line written
while it is answered."""

FIELDS = (
    "request_id",
    "method",
    "route",
    "status",
    "duration_ms",
    "error_id",
    "client",
)
"""The named fields (``extra=``) a line may carry, besides time, level, logger, event and
the process (``worker``)."""

REDACTED = "<redacted>"
UNMATCHED = "unmatched"
LEVELS = ("debug", "info", "warning", "error", "critical")
ROOT_LOGGERS = ("nitka", "uvicorn", "uvicorn.error", "gunicorn.error")


def route_of(scope: MutableMapping[str, Any]) -> str:
    """The template of the route that answered a request (``/entities/{entity_id}``),
    or ``unmatched``: what the log and the metrics name instead of the path."""
    path = getattr(scope.get("route"), "path", None)
    if not isinstance(path, str):
        return UNMATCHED
    return path or "/"


def _safe(value: Any) -> Any:
    """An argument as the log may show it: numbers, or a type's name."""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, BaseException):
        return type(value).__name__
    return REDACTED


TRUSTED = frozenset({"gunicorn.error"})
"""Loggers whose ``info`` lines keep their arguments: gunicorn's start and stop (its
version, the address it listens at, the worker class, a pid). Their warnings and
errors are made safe like any other."""


def event_of(record: logging.LogRecord) -> str:
    """The record's message with its arguments made safe."""
    template = str(record.msg)
    args = record.args
    if not args:
        return template
    if record.name in TRUSTED and record.levelno <= logging.INFO:
        return record.getMessage()
    try:
        if isinstance(args, dict):
            return template % {key: _safe(value) for key, value in args.items()}
        return template % tuple(_safe(value) for value in args)
    except (TypeError, ValueError):
        return template


def frames(exc: BaseException) -> list[str]:
    """Where an exception went: ``file:line in function`` for each frame, no message."""
    found = traceback.extract_tb(exc.__traceback__)
    return [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in found]


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: ``time``, ``level``, ``logger``, ``event`` and the
    named fields it carries."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": event_of(record),
            "worker": record.process,
        }
        request_id = REQUEST_ID.get()
        if request_id:
            line["request_id"] = request_id
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                line[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line["exception"] = type(error).__name__
            line["frames"] = frames(error)
        return orjson.dumps(line).decode("utf-8")


def json_handler() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    return handler


def configure(level: str = "info") -> None:
    """Nitka's, uvicorn's and gunicorn's loggers write JSON lines to standard error
    at ``level`` and above (requests are written at ``info``)."""
    handler = json_handler()
    for name in ROOT_LOGGERS:
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(level.upper())
        logger.propagate = False
    # uvicorn's access log writes the raw path with its query: never.
    logging.getLogger("uvicorn.access").disabled = True


def gunicorn_config(level: str = "info") -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: its error log in the same JSON lines, no access log."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": sys.stderr}
        },
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
        "root": {"level": "WARNING", "handlers": []},
    }
