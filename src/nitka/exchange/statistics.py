"""Statistics of the exchange, kept as data for reports: contacts per partner
country, requests sent and received, answered within the deadline, and the
average time to answer."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from nitka.exchange.kinds import Kind, Priority, Status, default_deadline
from nitka.exchange.messages import IN, OUT, Message, list_messages
from nitka.store.tables import agency, message


def exchange_statistics(conn: Connection, since: str | None = None) -> dict[str, Any]:
    """Figures over every message (or those created since an ISO date)."""
    countries = {row.id: row.country for row in conn.execute(select(agency.c.id, agency.c.country))}
    messages = [m for m in list_messages(conn) if since is None or m.created_at >= since]
    per_country: dict[str, dict[str, int]] = defaultdict(lambda: {"sent": 0, "received": 0})
    requests = {OUT: 0, IN: 0}
    answered = {OUT: 0, IN: 0}
    in_time = {OUT: 0, IN: 0}
    hours: dict[str, list[float]] = {OUT: [], IN: []}
    for item in messages:
        if item.status.value == "draft":
            continue
        partner = item.receiver if item.direction == OUT else item.sender
        country = countries.get(partner) or "unknown"
        per_country[country]["sent" if item.direction == OUT else "received"] += 1
        if not item.kind.expects_answer:
            continue
        requests[item.direction] += 1
        answer = _answer_time(item.answered_at, item.sent_at or item.received_at)
        if answer is None:
            continue
        answered[item.direction] += 1
        hours[item.direction].append(answer)
        if item.deadline is None or (item.answered_at or "") <= item.deadline:
            in_time[item.direction] += 1
    return {
        "since": since,
        "contacts_per_country": dict(sorted(per_country.items())),
        "requests": {
            direction: {
                "total": requests[key],
                "answered": answered[key],
                "answered_within_deadline": in_time[key],
                "average_hours_to_answer": (
                    round(sum(hours[key]) / len(hours[key]), 2) if hours[key] else None
                ),
            }
            for direction, key in (("sent", OUT), ("received", IN))
        },
        "kinds": sorted({m.kind.value for m in messages if m.kind is not Kind.ANSWER}),
    }


def _answer_time(answered_at: str | None, started_at: str | None) -> float | None:
    if not answered_at or not started_at:
        return None
    delta = datetime.fromisoformat(answered_at) - datetime.fromisoformat(started_at)
    return delta.total_seconds() / 3600


FIGURES = ("messages", "requests", "in_time", "late", "pending")
"""Per direction (``_out``, ``_in``): the keys of ``period_figures``' counts."""


def period_figures(
    conn: Connection,
    lower: str,
    upper: str,
    visible: Callable[[Message], bool],
    now: datetime | None = None,
) -> dict[str, dict[str, dict[str, int]]]:
    """The period's figures per partner country and per priority, over the messages
    ``visible`` lets through: a message counts in the period it was sent or received
    (``lower <= t < upper``; drafts and messages approved but not sent are not). A
    request is in time when answered by its deadline (the one it carries, else the
    Directive's default for its priority), late when answered after it or still open
    past it, pending while open and not yet due."""
    now = now or datetime.now(UTC)
    current = _moment(now.isoformat())
    countries = {row.id: row.country for row in conn.execute(select(agency.c.id, agency.c.country))}
    per_country: dict[str, Counter[str]] = defaultdict(Counter)
    per_priority: dict[str, Counter[str]] = defaultdict(Counter)
    for item in _period_messages(conn, lower, upper):
        if not visible(item):
            continue
        side = "out" if item.direction == OUT else "in"
        partner = item.receiver if item.direction == OUT else item.sender
        counts = per_country[(countries.get(partner) or "unknown").lower()]
        counts[f"messages_{side}"] += 1
        if item.kind.expects_answer:
            timeliness = f"{_timeliness(item, current)}_{side}"
            by_priority = per_priority[item.priority.value]
            by_priority[f"messages_{side}"] += 1
            for found in (counts, by_priority):
                found[f"requests_{side}"] += 1
                found[timeliness] += 1
    return {
        "countries": {c: dict(n) for c, n in sorted(per_country.items())},
        "priorities": {p: dict(n) for p, n in per_priority.items()},
    }


def _period_messages(conn: Connection, lower: str, upper: str) -> Iterator[Message]:
    m = message.c
    started = func.coalesce(m.sent_at, m.received_at)
    query = select(
        m.id, m.direction, m.kind, m.sender, m.receiver, m.reference, m.status, m.priority,
        m.created_at, m.deadline, m.case_id, m.author, m.sent_at, m.received_at, m.answered_at,
    ).where(started >= lower, started < upper)  # fmt: skip
    for row in conn.execute(query):
        yield Message(
            id=row.id, direction=row.direction, kind=Kind(row.kind), sender=row.sender,
            receiver=row.receiver, reference=row.reference, status=Status(row.status),
            priority=Priority(row.priority), created_at=row.created_at, deadline=row.deadline,
            case_id=row.case_id, author=row.author, sent_at=row.sent_at,
            received_at=row.received_at, answered_at=row.answered_at,
        )  # fmt: skip


def _timeliness(item: Message, now: datetime) -> str:
    """In time, late or pending at ``now`` (an aware time)."""
    started = _moment(item.sent_at or item.received_at or item.created_at)
    due = (
        _moment(item.deadline)
        if item.deadline
        else default_deadline(item.kind, item.priority, started)
    )
    if due is None:
        return "in_time"
    if item.answered_at:
        return "in_time" if _moment(item.answered_at) <= due else "late"
    return "late" if due < now else "pending"


def _moment(text: str) -> datetime:
    """A stored time; one without an offset is taken as UTC."""
    found = datetime.fromisoformat(text)
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)
