"""The audit trail: one hash-chained, append-only record per look at or change of data.

Directive 2016/680 (Art. 25) asks that every consultation, disclosure and
change of police data be logged with who, when and why, and that the logs
serve to verify lawfulness. A log an administrator could quietly edit would
not: so each record carries the SHA-256 of the one before it, and its own
hash covers every field it holds. ``verify`` recomputes the chain and names
the first record where it breaks (changed, removed or slipped in), and
``audit_head`` keeps the last id and hash, so that records cut off the end
show too. The database refuses UPDATE and DELETE on the log (migration 0007).

Appends are serialised by updating the head's single row first (claiming the
next id): on SQLite that takes the write lock, on PostgreSQL the row lock, so
two processes never chain onto the same record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import Integer, bindparam, insert, select, update
from sqlalchemy.engine import Connection

from nitka.errors import FieldError
from nitka.store.tables import audit_entity, audit_head, audit_log

GENESIS = "0" * 64
"""The hash the first record chains onto."""


class Action(StrEnum):
    SIGN_IN = "sign-in"
    SEARCH = "search"
    VIEW = "view"
    CHECK = "check"
    EXPORT = "export"
    DISCLOSURE = "disclosure"
    CHANGE = "change"
    ERASURE = "erasure"


class Outcome(StrEnum):
    DONE = "done"
    REFUSED = "refused"
    FAILED = "failed"


class AuditError(FieldError):
    """An event or check that cannot be logged as the law asks (no actor, no purpose)."""


@dataclass(frozen=True)
class AuditEvent:
    """What happened: who did what, from where, why, about which entities."""

    actor: str
    action: Action
    origin: str
    purpose: str = ""
    """The purpose or legal basis the actor gave."""
    subject: Any = None
    """What was asked: a query, a path, the fields of a change (JSON-serialisable)."""
    entities: Sequence[str] = ()
    """The entities the event showed, passed on or changed."""
    result_size: int = 0
    outcome: Outcome = Outcome.DONE

    def __post_init__(self) -> None:
        if not self.actor.strip():
            raise AuditError("an audit record needs the actor", field="actor")
        if not self.origin.strip():
            raise AuditError("an audit record needs where the event came from", field="origin")


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: str
    actor: str
    origin: str
    action: str
    purpose: str
    subject: str
    entities: list[str]
    result_size: int
    outcome: str
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        data["subject"] = orjson.loads(self.subject)
        return data


def record_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """The hash of a record: the previous record's hash and every field, canonically."""
    body = orjson.dumps(
        [
            fields["id"],
            fields["at"],
            fields["actor"],
            fields["origin"],
            fields["action"],
            fields["purpose"],
            fields["subject"],
            fields["entities"],
            fields["result_size"],
            fields["outcome"],
        ]
    )
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body).hexdigest()


_CLAIM = (
    update(audit_head)
    .where(audit_head.c.id == 1)
    .values(last_id=audit_head.c.last_id + bindparam("count", type_=Integer))
    .returning(audit_head.c.last_id, audit_head.c.last_hash)
)
"""Takes the head's lock (the write lock on SQLite) and the next ids in one statement,
and returns the last id claimed and the hash of the record before the first
(not yet replaced)."""
_SET_HASH = update(audit_head).where(audit_head.c.id == 1)
_READ_HEAD = select(audit_head.c.last_id, audit_head.c.last_hash).where(audit_head.c.id == 1)
_INSERT_RECORD = insert(audit_log)
_INSERT_ENTITIES = insert(audit_entity)


def append(conn: Connection, event: AuditEvent) -> AuditRecord:
    """Append one record to the chain; the caller commits (with the event's own work)."""
    return append_many(conn, [event])[0]


def append_many(conn: Connection, events: Sequence[AuditEvent]) -> list[AuditRecord]:
    """Append records to the chain in the order given; the caller commits.

    The ids are claimed in one statement, so a server that logs many requests
    in one transaction (``nitka.screen.recorder``) pays for the chain's lock
    once, not once a record.
    """
    if not events:
        return []
    last_id, last_hash = conn.execute(_CLAIM, {"count": len(events)}).one()
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    rows: list[dict[str, Any]] = []
    entity_rows: list[dict[str, Any]] = []
    records: list[AuditRecord] = []
    for record_id, event in enumerate(events, start=last_id - len(events) + 1):
        entities = sorted(set(event.entities))
        fields: dict[str, Any] = {
            "id": record_id,
            "at": at,
            "actor": event.actor,
            "origin": event.origin,
            "action": Action(event.action).value,
            "purpose": event.purpose,
            "subject": orjson.dumps(event.subject, default=str).decode(),
            "entities": orjson.dumps(entities).decode(),
            "result_size": event.result_size,
            "outcome": Outcome(event.outcome).value,
        }
        digest = record_hash(last_hash, fields)
        row = {**fields, "prev_hash": last_hash, "hash": digest}
        rows.append(row)
        records.append(_record(row))
        entity_rows += [{"audit_id": record_id, "entity_id": e} for e in entities]
        last_hash = digest
    conn.execute(_INSERT_RECORD, rows)
    if entity_rows:
        conn.execute(_INSERT_ENTITIES, entity_rows)
    conn.execute(_SET_HASH, {"last_hash": last_hash})
    return records


@dataclass
class Verification:
    """What ``verify`` found: how many records it checked, and the first break."""

    records: int = 0
    head_hash: str = GENESIS
    broken_at: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(conn: Connection) -> Verification:
    """Walk the chain from the first record; stop at the first break and name it."""
    found = Verification()
    expected_id, expected_prev = 1, GENESIS
    for row in conn.execute(select(audit_log).order_by(audit_log.c.id)).mappings():
        fields = dict(row)
        record_id = fields["id"]
        problem = None
        if record_id != expected_id:
            problem = f"record {record_id} follows record {expected_id - 1}: " + (
                f"record {expected_id} was removed"
                if record_id == expected_id + 1
                else f"records {expected_id} to {record_id - 1} were removed"
            )
        elif fields["prev_hash"] != expected_prev:
            problem = (
                f"record {record_id} does not chain onto record {record_id - 1}: "
                "one of them was changed, or a record between them removed"
            )
        elif record_hash(fields["prev_hash"], fields) != fields["hash"]:
            problem = f"record {record_id} was changed after it was written"
        if problem is not None:
            found.broken_at = record_id
            found.problems.append(problem)
            return found
        found.records += 1
        expected_id, expected_prev = record_id + 1, fields["hash"]
    found.head_hash = expected_prev
    last_id, last_hash = conn.execute(_READ_HEAD).one()
    walked = expected_id - 1
    if last_id > walked:
        found.broken_at = walked or None
        found.problems.append(
            f"the log ends at record {walked}, but record {last_id} was written: "
            "records were removed from its end (or the head was altered)"
        )
    elif last_id < walked:
        found.broken_at = last_id + 1
        found.problems.append(
            f"record {last_id} was the last one written, but the log goes on to record "
            f"{walked}: records were slipped in at its end (or the head was altered)"
        )
    elif last_hash != expected_prev:
        found.broken_at = walked
        found.problems.append(f"record {walked} is not the record last written (its hash differs)")
    return found


WHOLE_STORE = "the whole store"
"""The scope of an operator's export: it names no entities, and held them all."""


def who_saw(conn: Connection, entity_id: str) -> list[AuditRecord]:
    """Every record about this entity, oldest first: a data-protection officer's question.

    Exports of the whole store are among them: they do not list their entities,
    and may have held this one.
    """
    ids = select(audit_entity.c.audit_id).where(audit_entity.c.entity_id == entity_id)
    whole = (audit_log.c.action == Action.EXPORT.value) & audit_log.c.subject.contains(WHOLE_STORE)
    rows = conn.execute(
        select(audit_log).where(audit_log.c.id.in_(ids) | whole).order_by(audit_log.c.id)
    )
    records = [_record(dict(row)) for row in rows.mappings()]
    # The index finds them; each record's own (hashed) entity list or scope confirms.
    return [
        record
        for record in records
        if entity_id in record.entities
        or (record.outcome == Outcome.DONE.value and _whole_store(record))
    ]


def _whole_store(record: AuditRecord) -> bool:
    if record.action != Action.EXPORT.value:
        return False
    try:
        subject = orjson.loads(record.subject)
    except orjson.JSONDecodeError:
        return False
    return isinstance(subject, dict) and subject.get("scope") == WHOLE_STORE


def by_actor(conn: Connection, actor: str) -> list[AuditRecord]:
    """Every record of one user or system, oldest first."""
    rows = conn.execute(
        select(audit_log).where(audit_log.c.actor == actor).order_by(audit_log.c.id)
    )
    return [_record(dict(row)) for row in rows.mappings()]


def latest(conn: Connection, limit: int = 200, action: str | None = None) -> list[AuditRecord]:
    """The most recent records, newest first (of one action, if given)."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if action:
        query = query.where(audit_log.c.action == action)
    return [_record(dict(row)) for row in conn.execute(query).mappings()]


def iter_records(conn: Connection) -> Iterator[AuditRecord]:
    for row in conn.execute(select(audit_log).order_by(audit_log.c.id)).mappings():
        yield _record(dict(row))


def _record(fields: dict[str, Any]) -> AuditRecord:
    return AuditRecord(
        id=fields["id"],
        at=fields["at"],
        actor=fields["actor"],
        origin=fields["origin"],
        action=fields["action"],
        purpose=fields["purpose"],
        subject=fields["subject"],
        entities=orjson.loads(fields["entities"]),
        result_size=fields["result_size"],
        outcome=fields["outcome"],
        prev_hash=fields["prev_hash"],
        hash=fields["hash"],
    )
