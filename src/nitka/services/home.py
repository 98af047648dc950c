"""The start page of the workstation: my cases, my deadlines, my recent hits, the
messages waiting for me, and an overview of what the store holds (per source, and
the latest ingests) as far as I may see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.accounts import Role
from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.cases import case_titles
from nitka.access.visibility import READERS, Viewer
from nitka.exchange.kinds import Status
from nitka.exchange.messages import Message, due_within, list_messages, overdue
from nitka.exchange.sight import ALL_MESSAGES, may_see_message
from nitka.ingest.summary import Ingested, SourceTotal, recent_ingests, source_totals
from nitka.screen.audit import recent_hits
from nitka.services.guard import AUDITORS, refuse, require, role_refusal, viewer_of

DEADLINE_HOURS = 72
"""Requests due within this many hours are shown beside the overdue ones."""
RECENT_HITS = 10


class Start(StrEnum):
    """Where an actor starts in the workstation."""

    CASE_DATA = "case data"
    """The start page of cases, deadlines, hits and messages (``start_page``)."""
    AUDIT_TRAIL = "audit trail"
    """An auditor's: the audit trail."""
    CASES = "cases"
    """An administrator's: the list of cases and their members (never their data)."""


def start_of(actor: Actor) -> Start:
    """Where the actor starts: only the roles that read case data see the start page."""
    if role_refusal(actor, READERS) is None:
        return Start.CASE_DATA
    return Start.AUDIT_TRAIL if role_refusal(actor, AUDITORS) is None else Start.CASES


@dataclass(frozen=True)
class StartPage:
    cases: list[dict[str, str]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    hits: list[dict[str, Any]] = field(default_factory=list)
    waiting: list[dict[str, Any]] = field(default_factory=list)
    sources: list[SourceTotal] = field(default_factory=list)
    """What the store holds per dataset (and case), from the ingests' summaries."""
    ingests: list[Ingested] = field(default_factory=list)
    """The latest ingests, newest first."""


def start_page(conn: Connection, actor: Actor, *, read: Connection | None = None) -> StartPage:
    """What a reader sees first. Reads only what is the actor's own or may be seen.
    ``read``: where the page's data is read (a replica's connection,
    ``nitka.store.replica``), by default ``conn``; the access check, what the actor
    may see and the actor's cases (their memberships) stay on ``conn``."""
    read = read if read is not None else conn
    subject = {"page": "start"}
    require(conn, actor, READERS, Action.VIEW, subject)
    viewer = viewer_of(conn, actor)
    if viewer is None:
        raise refuse(conn, actor, Action.VIEW, subject, "the start page is an account's", "account")
    return StartPage(
        cases_of(conn, actor.name),
        _deadlines(read, viewer),
        recent_hits(read, actor.name, RECENT_HITS),
        _waiting(read, viewer),
        source_totals(read, viewer.cases, viewer.hidden_lists),
        recent_ingests(read, viewer.cases, viewer.hidden_lists),
    )


def cases_of(conn: Connection, name: str) -> list[dict[str, str]]:
    """The cases an account is a member of (id and title), for a page's case picker."""
    return [{"id": case_id, "title": title} for case_id, title in case_titles(conn, name)]


def _deadlines(conn: Connection, viewer: Viewer) -> list[dict[str, Any]]:
    """Overdue requests first, then those due within ``DEADLINE_HOURS``."""
    now = datetime.now(UTC)
    found = {m.id: m for m in overdue(conn, now)}
    found.update({m.id: m for m in due_within(conn, DEADLINE_HOURS, now) if m.id not in found})
    return [m.summary(now) for m in found.values() if may_see_message(viewer, m)]


def _waiting(conn: Connection, viewer: Viewer) -> list[dict[str, Any]]:
    """Received messages to take up (the exchange desk), drafts to approve (a
    supervisor), and my approved messages to send."""
    waiting: list[Message] = []
    if viewer.role in ALL_MESSAGES:
        waiting += list_messages(conn, direction="in", status=Status.RECEIVED)
    if viewer.role == Role.SUPERVISOR:
        drafts = list_messages(conn, direction="out", status=Status.DRAFT)
        waiting += [m for m in drafts if m.author != viewer.name]
    approved = list_messages(conn, direction="out", status=Status.APPROVED)
    waiting += [m for m in approved if m.author == viewer.name]
    return [m.summary() for m in waiting if may_see_message(viewer, m)]
