"""Statistics of the exchange, kept as data for reports: contacts per partner
country, requests sent and received, answered within the deadline, and the
average time to answer."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.exchange.kinds import Kind
from nitka.exchange.messages import IN, OUT, list_messages
from nitka.store.tables import agency


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
