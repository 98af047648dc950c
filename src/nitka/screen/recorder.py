"""Writing checks to the check log and the audit trail, many requests to a commit.

No answer leaves before its check is logged (Directive 2016/680 Art. 25). A
server that answered hundreds of checks a second, each in a transaction of
its own, would spend most of its time committing (and, on SQLite, waiting
for the one write lock). The ``Recorder`` therefore keeps one writer thread:
a request's answers wait in its queue, the thread writes every request
waiting in one transaction (a group commit), and each request is answered
once that transaction has committed. Meanwhile other threads check the next
requests. If a shared transaction fails, its requests are written again one
by one, so one bad request cannot take others down with it.

``nitka serve`` writes the log from a process of its own instead
(``nitka.screen.log_writer``, reached through ``nitka.screen.log_client``);
both keep the promise of ``CheckRecorder``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from nitka.access.audit import Action, AuditEvent, append_many
from nitka.errors import FieldError
from nitka.screen.answers import Answer
from nitka.screen.audit import Check, CheckContext, log_checks

_log = logging.getLogger(__name__)

MAX_GROUP = 500
"""Requests written in one transaction at most."""


class CheckLogError(RuntimeError):
    """The check log cannot be written: the check gets no answer (Art. 25), the
    service answers 503 until it can."""


class CheckRecorder(Protocol):
    """Logs requests' checks before they are answered (``Recorder``, or the writer
    process's client ``nitka.screen.log_client.RemoteRecorder``).

    ``write`` returns once the request's checks are committed, with their log
    ids set on its answers, or raises what stopped them: a ``FieldError`` of
    the request itself, or ``CheckLogError`` (never the database's own error,
    whose text is for the operator's log). It blocks its thread while it
    waits: callers are threads (FastAPI runs plain ``def`` routes in its
    thread pool), so other requests go on meanwhile. ``write_async`` keeps the
    same promise for a coroutine, without holding a thread while it waits."""

    def write(self, request: Request) -> None: ...

    async def write_async(self, request: Request) -> None: ...


@dataclass
class Request:
    """A request's checks as answered, to be logged under its context."""

    context: CheckContext
    answers: Sequence[Answer]
    audited: bool = True
    """Whether it also goes into the audit trail (only a benchmark turns it off)."""

    def logged(self) -> LoggedRequest:
        """The request as the log keeps it."""
        checks = tuple(Check.of(self.context, a.query, a.result, a.error) for a in self.answers)
        return LoggedRequest(self.context, checks, self.audited)

    def set_log_ids(self, log_ids: Sequence[int]) -> None:
        for answer, log_id in zip(self.answers, log_ids, strict=True):
            answer.log_id = log_id


class LoggedRequest(NamedTuple):
    """A request as the log keeps it: plain values (see ``Check``)."""

    context: CheckContext
    checks: tuple[Check, ...]
    audited: bool = True


def record(conn: Connection, requests: Sequence[Request]) -> None:
    """Log the requests' checks and append their audit records, in order; sets each
    answer's ``log_id``. The caller commits."""
    for request, log_ids in zip(
        requests, write_logged(conn, [r.logged() for r in requests]), strict=True
    ):
        request.set_log_ids(log_ids)


def write_logged(conn: Connection, requests: Sequence[LoggedRequest]) -> list[list[int]]:
    """Log the requests' checks and append their audit records, in order; returns
    each request's log ids. The caller commits."""
    ids = log_checks(conn, [check for request in requests for check in request.checks])
    per_request: list[list[int]] = []
    start = 0
    for request in requests:
        per_request.append(ids[start : start + len(request.checks)])
        start += len(request.checks)
    append_many(
        conn,
        [
            audit_event(request, log_ids)
            for request, log_ids in zip(requests, per_request, strict=True)
            if request.audited
        ],
    )
    return per_request


def audit_event(request: LoggedRequest, log_ids: Sequence[int]) -> AuditEvent:
    """One audit record for a request: its checks in the check log, and the entries hit."""
    context = request.context
    hits = [hit.entry_id for check in request.checks for hit in check.hits]
    return AuditEvent(
        actor=context.user,
        action=Action.CHECK,
        origin=context.origin or context.channel,
        purpose=context.purpose,
        subject={"check_log": list(log_ids), "queries": len(request.checks)},
        entities=hits,
        result_size=len(hits),
    )


@dataclass
class _Waiting:
    request: Request
    done: Future[None] = field(default_factory=Future, repr=False)


class Recorder:
    """Group commit of requests' check logs and audit records (see the module)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._pid = -1
        self._queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._lock = threading.Lock()

    def write(self, request: Request) -> None:
        """Return once the request is logged; raise what stopped its logging."""
        waiting = _Waiting(request)
        self._started().put(waiting)
        waiting.done.result()

    async def write_async(self, request: Request) -> None:
        """``write`` for a coroutine: the event loop goes on while the log is written."""
        waiting = _Waiting(request)
        self._started().put(waiting)
        await asyncio.wrap_future(waiting.done)

    def _started(self) -> queue.SimpleQueue[_Waiting]:
        """The queue of this process's writer thread, started on first use (a
        thread does not survive a fork: a forked process starts its own)."""
        with self._lock:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._queue = queue.SimpleQueue()
                thread = threading.Thread(
                    target=self._run, args=(self._queue,), name="nitka-check-log", daemon=True
                )
                thread.start()
            return self._queue

    def _run(self, waiting: queue.SimpleQueue[_Waiting]) -> None:
        while True:
            group = [waiting.get()]
            while len(group) < MAX_GROUP:
                try:
                    group.append(waiting.get_nowait())
                except queue.Empty:
                    break
            self._write(group)

    def _write(self, group: list[_Waiting]) -> None:
        try:
            with self.engine.begin() as conn:
                record(conn, [w.request for w in group])
        except Exception as error:
            if len(group) == 1:
                if not isinstance(error, FieldError):
                    # The database's message (SQL, values) is for the operator's log.
                    _log.error("the check log could not be written: %s", error)
                    error = CheckLogError("the check log could not be written")
                group[0].done.set_exception(error)
                return
            # Written again one by one: only the request at fault fails.
            for one in group:
                for answer in one.request.answers:
                    answer.log_id = None
                self._write([one])
            return
        for one in group:
            one.done.set_result(None)
