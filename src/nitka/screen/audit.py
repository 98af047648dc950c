"""The check log and the notices to list owners, written with every check.

Directive 2016/680 Art. 25 asks that every consultation of police data be
logged with who, when, why and what; the log here keeps the query as asked
and the answer as given. A hit is also recorded for the owner of the list
entry, so that the agency that issued the notice can be told (as Europol's
EIS tells the data owner). Both tables are append-only in the database.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from nitka.access.audit import AuditError
from nitka.screen.checks import CheckResult, QueryError
from nitka.store.tables import check_log, owner_notice


@dataclass(frozen=True)
class CheckContext:
    """Who checks, why, and through which channel (api, cli, file)."""

    user: str
    purpose: str
    channel: str
    origin: str = ""
    """Where the check came from (the client's address); the channel if not given."""

    def __post_init__(self) -> None:
        if not self.user.strip():
            raise AuditError("a check needs the user who makes it", field="user")
        if not self.purpose.strip():
            raise AuditError("a check needs its stated purpose", field="purpose")


__all__ = ["AuditError", "Check", "CheckContext", "LoggedHit", "log_checks", "notices_for"]

_INSERT_CHECKS = insert(check_log).returning(check_log.c.id, sort_by_parameter_order=True)
"""Built once: SQLAlchemy then reuses its compiled form for every check."""


class LoggedHit(NamedTuple):
    """What the log keeps of a hit: the entry, the lists and records it is on, the score."""

    entry_id: str
    lists: tuple[str, ...]
    records: tuple[str, ...]
    score: float


class Check(NamedTuple):
    """One check to log: who asked what, and the hits or the error it got.

    Plain values only (no list entries, no entities), so that a check crosses
    to the process that writes the log cheaply (``nitka.screen.log_writer``).
    """

    context: CheckContext
    query: Any
    hits: tuple[LoggedHit, ...] = ()
    error: str | None = None

    @classmethod
    def of(
        cls,
        context: CheckContext,
        query: Any,
        result: CheckResult | None,
        error: QueryError | None = None,
    ) -> Check:
        hits = tuple(
            LoggedHit(hit.entry.id, hit.entry.lists, hit.entry.records, hit.score)
            for hit in (result.hits if result is not None else ())
        )
        return cls(context, query, hits, str(error) if error is not None else None)


def log_checks(conn: Connection, checks: Sequence[Check]) -> list[int]:
    """Log checks in the order given, with the notices of their hits; returns their
    log ids. The caller commits."""
    if not checks:
        return []
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [_row(check, now) for check in checks]
    ids = [int(i) for i in conn.execute(_INSERT_CHECKS, rows).scalars()]
    notices = [
        {
            "created_at": now,
            "check_id": check_id,
            "entry_id": hit.entry_id,
            "list": listed,
            "records": orjson.dumps(list(hit.records)).decode(),
            "score": hit.score,
        }
        for check_id, check in zip(ids, checks, strict=True)
        for hit in check.hits
        for listed in hit.lists
    ]
    if notices:
        conn.execute(insert(owner_notice), notices)
    return ids


def _row(check: Check, now: datetime) -> dict[str, Any]:
    hits = check.hits
    answer = [{"entry": hit.entry_id, "lists": list(hit.lists), "score": hit.score} for hit in hits]
    return {
        "checked_at": now,
        "user": check.context.user,
        "purpose": check.context.purpose,
        "channel": check.context.channel,
        "query": orjson.dumps(check.query, default=str).decode(),
        "result": orjson.dumps(answer).decode(),
        "hits": len(hits),
        "error": check.error,
    }


def notices_for(conn: Connection, listed: str) -> list[dict[str, Any]]:
    """The hits recorded for the owner of one list, oldest first."""
    rows = conn.execute(
        select(owner_notice, check_log.c.user, check_log.c.purpose, check_log.c.checked_at)
        .join(check_log, check_log.c.id == owner_notice.c.check_id)
        .where(owner_notice.c.list == listed)
        .order_by(owner_notice.c.id)
    )
    return [dict(row._mapping) for row in rows]


def latest_hit(conn: Connection, entry_ids: Collection[str]) -> dict[str, Any] | None:
    """The latest check that hit one of these list entries (an entity and the ids
    merged into it): when, on which list, with what score. Who checked and why
    is the check log's, for auditors and the list's owner, not said here."""
    row = conn.execute(
        select(check_log.c.checked_at, owner_notice.c.list, owner_notice.c.score)
        .join(check_log, check_log.c.id == owner_notice.c.check_id)
        .where(owner_notice.c.entry_id.in_(sorted(entry_ids)))
        .order_by(owner_notice.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return {
        "at": row.checked_at.isoformat(timespec="seconds"),
        "list": row.list,
        "score": round(row.score, 2),
    }


def recent_hits(conn: Connection, user: str, limit: int) -> list[dict[str, Any]]:
    """The user's own latest checks that hit, newest first: what was asked, when, why."""
    rows = conn.execute(
        select(check_log.c.checked_at, check_log.c.purpose, check_log.c.query, check_log.c.hits)
        .where(check_log.c.user == user, check_log.c.hits > 0)
        .order_by(check_log.c.id.desc())
        .limit(limit)
    )
    return [
        {
            "at": row.checked_at.isoformat(timespec="seconds"),
            "purpose": row.purpose,
            "query": _asked(row.query),
            "hits": row.hits,
        }
        for row in rows
    ]


def _asked(query: str) -> str:
    """What was asked, in a line: the names, numbers and plates of the check."""
    try:
        data = orjson.loads(query)
    except orjson.JSONDecodeError:
        return query[:200]
    values: list[str] = []
    properties = data.get("properties", {}) if isinstance(data, dict) else {}
    for key in ("name", "number", "registrationNumber", "idNumber", "passportNumber"):
        found = properties.get(key) if isinstance(properties, dict) else None
        if isinstance(found, list):
            values.extend(str(v) for v in found)
    return ", ".join(values)[:200] or query[:200]
