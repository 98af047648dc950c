"""Checks against the watch lists, as one user makes them.

A check is answered from the screening index in memory and logged in the
check log (Art. 25) before it is answered; that log, not the audit trail,
is its record. What is recorded in the audit trail is a check refused
before it was made: a role that may not check, a check without a purpose.
Those writes take a transaction of their own, so that the answering path
holds no database connection.

``default`` (yente's name) means every list the service loaded that the
account may see; a check against no list at all is an error, never an
empty answer that a client would read as "no match".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.engine import Engine

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.visibility import Viewer
from nitka.offline import origin as copy_origin
from nitka.screen import files
from nitka.screen.answers import Answer
from nitka.screen.audit import AuditError, CheckContext
from nitka.screen.checks import DEFAULT_THRESHOLD
from nitka.screen.recorder import Request
from nitka.screen.service import Screener
from nitka.services.guard import (
    CHECKERS,
    DeclinedError,
    NotFoundError,
    refuse,
    role_refusal,
    viewer_of,
)

DEFAULT_LISTS = "default"
"""The dataset name yente's clients use for every list."""


class NoListError(DeclinedError):
    """A check that would be made against no watch list at all."""

    status = 409


@dataclass(frozen=True)
class Checked:
    """The answers to a request, and the lists they were checked against."""

    answers: list[Answer]
    lists: tuple[str, ...]


@dataclass(frozen=True)
class RequestChecked(Checked):
    """A request's answers, and the viewer they are shown to."""

    viewer: Viewer | None
    warning: str | None = None
    """Set when the store is an offline copy past its age (``copy_warning``)."""


@dataclass(frozen=True)
class FileChecked(Checked):
    """A file's checks: how many rows, how many hit (as the actor may see them)."""

    rows: int
    hits: int
    warning: str | None = None
    """Set when the store is an offline copy past its age (``copy_warning``)."""


def begin_check(engine: Engine, actor: Actor, channel: str, origin: str) -> CheckContext:
    """Who checks, why and from where; a check the actor may not make, or one
    that states no purpose, is refused and the refusal recorded."""
    subject: dict[str, Any] = {"check": channel}
    why = role_refusal(actor, CHECKERS)
    if why is not None:
        _refused(engine, actor, subject, why, "role")
    try:
        return CheckContext(user=actor.name, purpose=actor.purpose, channel=channel, origin=origin)
    except AuditError as error:
        _refused(engine, actor, subject, str(error), error.field)


def lists_to_check(screener: Screener, viewer: Viewer | None, dataset: str) -> tuple[str, ...]:
    """The loaded lists a check of ``dataset`` goes against, as the viewer may see
    them. A list the viewer may not see is answered as one that is not loaded."""
    loaded = [name for name in screener.lists if viewer is None or name not in viewer.hidden_lists]
    if dataset != DEFAULT_LISTS:
        if dataset not in loaded:
            raise NotFoundError(f"no watch list {dataset!r}", field="dataset")
        return (dataset,)
    if not loaded:
        if screener.lists:
            why = "none of the watch lists this service checks against is shared with your unit"
        else:
            why = (
                "this service checks against no watch list: start it with `nitka serve --list NAME`"
            )
        raise NoListError(why, field="dataset")
    return tuple(loaded)


def screen(
    screener: Screener,
    context: CheckContext,
    queries: Sequence[Any],
    lists: tuple[str, ...],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
) -> Checked:
    """Answer and log each query; hits on lists other than ``lists`` are left out
    of the answers (the log keeps what the index found)."""
    answers = screener.screen_logged(queries, context, threshold=threshold, limit=limit)
    _only_lists(screener, answers, lists)
    return Checked(answers, lists)


def _only_lists(screener: Screener, answers: list[Answer], lists: tuple[str, ...]) -> None:
    """Leave out of the answers the hits on lists other than ``lists`` (the log keeps
    what the index found)."""
    if set(lists) == set(screener.lists):
        return
    wanted = set(lists)
    for answer in answers:
        if answer.result is not None:
            answer.result.hits = [
                hit for hit in answer.result.hits if wanted.intersection(hit.entry.lists)
            ]


async def screen_request(
    screener: Screener,
    actor: Actor,
    viewer: Callable[[], Viewer | None],
    channel: str,
    origin: str,
    queries: Sequence[Any],
    dataset: str = DEFAULT_LISTS,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
    max_age: float = 48.0,
) -> RequestChecked:
    """A request of the API, for its coroutine: who checks and why (a refusal on
    record), the lists of ``dataset`` the viewer may see, each query answered in
    the screener's check thread, and the answers logged, many requests to a
    commit, before they are given out. ``viewer`` gives the actor's sight (it may
    read the store: it is called in the check thread)."""

    def answered() -> tuple[CheckContext, Viewer | None, tuple[str, ...], list[Answer], str | None]:
        context = begin_check(screener.engine, actor, channel, origin)
        sight = viewer()
        lists = lists_to_check(screener, sight, dataset)
        answers = screener.answer(queries, threshold=threshold, limit=limit)
        return context, sight, lists, answers, copy_warning(screener.engine, max_age)

    context, sight, lists, answers, warning = await screener.in_check_thread(answered)
    await screener.recorder.write_async(Request(context, answers, screener.audited))
    _only_lists(screener, answers, lists)
    return RequestChecked(answers, lists, sight, warning)


def screen_file(
    engine: Engine,
    actor: Actor,
    source: Path,
    target: Path,
    lists: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int], None] | None = None,
    max_age: float = 48.0,
) -> FileChecked:
    """Check every row of a CSV (a passenger list, a crossing log) against these
    lists into ``target``; each check is logged, and each hit written as far as
    the actor may see it. Returns no answers (they are in the file), only the
    lists and the counts (and, on an offline copy past ``max_age`` hours, its warning)."""
    context = begin_check(engine, actor, "file", actor.origin)
    with engine.connect() as conn:
        viewer = viewer_of(conn, actor)
    screener = Screener(engine, lists)
    for name in lists:
        lists_to_check(screener, viewer, name)
    rows, hits = files.screen_file(
        screener, source, target, context, threshold=threshold, progress=progress, viewer=viewer
    )
    return FileChecked([], screener.lists, rows, hits, copy_warning(engine, max_age))


_ORIGINS: dict[int, tuple[copy_origin.Origin | None, float]] = {}
ORIGIN_SECONDS = 1.0


def copy_warning(engine: Engine, max_age: float) -> str | None:
    """The warning every check carries when the store is an offline copy not brought
    up to date for more than ``max_age`` hours (``nitka offline sync``); None on a
    server or a fresh copy. The copy's origin is read at most once a second."""
    cached = _ORIGINS.get(id(engine))
    if cached is None or cached[1] < time.monotonic():
        with engine.connect() as conn:
            found = copy_origin.read(conn)
        cached = _ORIGINS[id(engine)] = (found, time.monotonic() + ORIGIN_SECONDS)
    return copy_origin.staleness(cached[0], max_age)


def _refused(
    engine: Engine, actor: Actor, subject: dict[str, Any], why: str, field: str
) -> NoReturn:
    """Record the refusal (in a transaction of its own) and raise it: a 403 for a
    role, a 400 for a request that lacks what a check needs."""
    with engine.begin() as conn:
        error = refuse(conn, actor, Action.CHECK, subject, why, field)
    if field == "role":
        raise error
    raise DeclinedError(why, field=field)
