"""The screening service: checks answered from the in-memory index and logged in the store.

One ``Screener`` serves a process (the API, ``nitka screen``): it loads the
watch lists once, answers checks from memory, and writes every check to the
check log (and every hit to the list owner's notices) before it answers, so
no answer leaves without its log entry.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Engine

from nitka.effects.follow import Follower
from nitka.screen.answers import Answer
from nitka.screen.audit import CheckContext
from nitka.screen.checks import DEFAULT_THRESHOLD, QueryError, check, parse_query
from nitka.screen.index import ScreeningIndex
from nitka.screen.lists import load_index, refresh
from nitka.screen.recorder import CheckRecorder, Recorder, Request, record
from nitka.store.replica import Reads

POLL_SECONDS = 1.0
"""How often a screening process reads the change sequence: an erasure, a merge or a
withdrawn notice stops hitting everywhere within about this long."""
MAX_BATCH = 1000
"""Queries per request: a passenger list of a large aircraft, not a whole registry."""


T = TypeVar("T")


class BatchTooLargeError(ValueError):
    def __init__(self, size: int) -> None:
        super().__init__(f"a batch holds at most {MAX_BATCH} queries, not {size:,}")
        self.field = "queries"


__all__ = ["MAX_BATCH", "Answer", "BatchTooLargeError", "Screener"]


class Screener:
    def __init__(
        self,
        engine: Engine,
        lists: Sequence[str],
        *,
        poll_seconds: float = POLL_SECONDS,
        audited: bool = True,
        reads: Reads | None = None,
    ) -> None:
        # No lists is allowed: a server for the exchange alone checks against nothing.
        self.engine = engine
        self.reads = reads or Reads(engine)
        """Where the index loads and catches up from: a replica if one is configured
        (``nitka.store.replica``; docs/replica.md says why the change sequence read there
        misses nothing), else the store. Checks are logged in the store."""
        self.lists = tuple(lists)
        self._lock = threading.Lock()
        self.audited = audited
        """Whether each request also goes into the audit trail (``nitka.access.audit``)
        beside the check log. Only a benchmark turns it off, to measure what it costs."""
        self.poll_seconds = poll_seconds
        """How often ``screen`` takes in changes made by other processes."""
        self.recorder: CheckRecorder = Recorder(engine)
        """Writes the check log of ``screen_logged`` requests, many to a commit (``nitka
        serve`` hands it to a process of its own: ``nitka.screen.log_client``)."""
        with self.reads.connect() as conn:
            # The position first: a change made while the index loads is read again.
            self._changes = Follower.now(conn)
            self.index: ScreeningIndex = load_index(conn, self.lists)
        self._caught_up = time.monotonic()
        self._checker: ThreadPoolExecutor | None = None
        self._checker_pid = -1

    async def in_check_thread(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``work`` in this process's one check thread, for a coroutine.

        Checks read the index (and, for documents and vehicles, the store), so
        they may not run on the event loop; one thread of their own, rather than
        the API's shared pool, costs one hand-over each way and never waits for
        the index's lock behind another check."""
        if self._checker is None or self._checker_pid != os.getpid():
            # A thread does not survive a fork: each worker starts its own.
            self._checker_pid = os.getpid()
            self._checker = ThreadPoolExecutor(1, thread_name_prefix="nitka-checks")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._checker, partial(work, *args, **kwargs))

    def apply(self, canonical_ids: Sequence[str]) -> None:
        """Re-read these entities into this process's index."""
        with self._lock, self.engine.connect() as conn:
            # The store itself: the caller has just written these entities.
            refresh(conn, self.index, canonical_ids, self.lists)

    def catch_up(self, *, every: float | None = None) -> int:
        """Take in the changes recorded since the last read (``nitka.effects``), at
        most once per ``every`` seconds (default ``poll_seconds``); returns how many
        entities were re-read."""
        every = self.poll_seconds if every is None else every
        now = time.monotonic()
        if now - self._caught_up < every:
            return 0
        self._caught_up = now
        with self._lock, self.reads.connect() as conn:
            # The records and the entities they name on one connection: on a replica
            # as on the store, the entities read are at least as new as the records.
            changed = self._changes.changed(conn, self.lists)
            if changed:
                refresh(conn, self.index, changed, self.lists)
        return len(changed)

    def answer(
        self,
        queries: Sequence[Any],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
    ) -> list[Answer]:
        """Check each query, without logging: a bad query gets its error, the others
        their results. Every caller logs the answers before giving them out."""
        if len(queries) > MAX_BATCH:
            raise BatchTooLargeError(len(queries))
        self.catch_up()
        answers: list[Answer] = []
        # Requests are answered from several threads (the API's thread pool); the
        # index is read under the lock that its updates take.
        with self._lock:
            for position, data in enumerate(queries):
                where = f"queries[{position}]." if len(queries) > 1 else ""
                try:
                    proxy = parse_query(data, where)
                except QueryError as error:
                    answers.append(Answer(data, error=error))
                    continue
                result = check(self.index, proxy, threshold=threshold, limit=limit)
                answers.append(Answer(data, result))
        return answers

    def screen(
        self,
        queries: Sequence[Any],
        context: CheckContext,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
    ) -> list[Answer]:
        """Answer and log each query (in a transaction of its own)."""
        answers = self.answer(queries, threshold=threshold, limit=limit)
        with self.engine.begin() as conn:
            record(conn, [Request(context, answers, self.audited)])
        return answers

    def screen_logged(
        self,
        queries: Sequence[Any],
        context: CheckContext,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
    ) -> list[Answer]:
        """Answer and log each query, the log written with other requests' (``recorder``);
        blocks its thread until the log is committed."""
        answers = self.answer(queries, threshold=threshold, limit=limit)
        self.recorder.write(Request(context, answers, self.audited))
        return answers
