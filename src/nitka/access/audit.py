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
from collections.abc import Iterable, Iterator, Sequence
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


def subject_json(subject: Any) -> str:
    """The subject as JSON; what asked a value JSON cannot hold as a number (an integer
    past 64 bits) is kept as its digits, so that no request goes unrecorded for it."""
    try:
        return orjson.dumps(subject, default=str).decode()
    except TypeError:
        return orjson.dumps(_as_text_past_64_bits(subject), default=str).decode()


def _as_text_past_64_bits(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**64 else str(value)
    if isinstance(value, dict):
        return {key: _as_text_past_64_bits(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_as_text_past_64_bits(item) for item in value]
    return value


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
            "subject": subject_json(event.subject),
            "entities": orjson.dumps(entities).decode(),
            "result_size": event.result_size,
            "outcome": Outcome(event.outcome).value,
        }
        digest = record_hash(last_hash, fields)
        row = {**fields, "prev_hash": last_hash, "hash": digest}
        rows.append(row)
        records.append(_record(row))
        indexed = index_ids(entities, fields["action"], fields["subject"], fields["outcome"])
        entity_rows += [{"audit_id": record_id, "entity_id": e} for e in indexed]
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


VERIFY_CHUNK = 10_000
"""Records read at a time by ``verify``: a log of millions is walked, not loaded."""


def verify(conn: Connection) -> Verification:
    """Walk the chain from the first record; stop at the first break and name it.

    Each record is also looked up in ``audit_entity``: a row removed there
    hides the record from ``who_saw`` without touching the chain, so a record
    whose entities (or whole-store marker) are missing from it is a break too.
    """
    found = Verification()
    expected_id, expected_prev = 1, GENESIS
    after = 0
    while True:
        chunk = conn.execute(
            select(audit_log)
            .where(audit_log.c.id > after)
            .order_by(audit_log.c.id)
            .limit(VERIFY_CHUNK)
        ).mappings()
        rows = [dict(row) for row in chunk]
        if not rows:
            break
        indexed = _indexed(conn, rows[0]["id"], rows[-1]["id"])
        for fields in rows:
            record_id = fields["id"]
            problem = _chain_problem(fields, expected_id, expected_prev) or _index_problem(
                fields, indexed.get(record_id, set())
            )
            if problem is not None:
                found.broken_at = record_id
                found.problems.append(problem)
                return found
            found.records += 1
            expected_id, expected_prev = record_id + 1, fields["hash"]
        after = rows[-1]["id"]
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


def _chain_problem(fields: dict[str, Any], expected_id: int, expected_prev: str) -> str | None:
    record_id = fields["id"]
    if record_id != expected_id:
        return f"record {record_id} follows record {expected_id - 1}: " + (
            f"record {expected_id} was removed"
            if record_id == expected_id + 1
            else f"records {expected_id} to {record_id - 1} were removed"
        )
    if fields["prev_hash"] != expected_prev:
        return (
            f"record {record_id} does not chain onto record {record_id - 1}: "
            "one of them was changed, or a record between them removed"
        )
    if record_hash(fields["prev_hash"], fields) != fields["hash"]:
        return f"record {record_id} was changed after it was written"
    return None


def _indexed(conn: Connection, first: int, last: int) -> dict[int, set[str]]:
    """The ``audit_entity`` rows of records ``first`` to ``last``, by record."""
    rows = conn.execute(
        select(audit_entity.c.audit_id, audit_entity.c.entity_id).where(
            audit_entity.c.audit_id.between(first, last)
        )
    )
    indexed: dict[int, set[str]] = {}
    for audit_id, entity_id in rows:
        indexed.setdefault(audit_id, set()).add(entity_id)
    return indexed


def _index_problem(fields: dict[str, Any], indexed: set[str]) -> str | None:
    """Extra rows are harmless (``who_saw`` confirms each record); missing ones hide it."""
    try:
        entities = orjson.loads(fields["entities"])
    except orjson.JSONDecodeError:
        entities = None
    if not isinstance(entities, list):
        return f"record {fields['id']}'s entities are not a list of ids"
    expected = index_ids(entities, fields["action"], fields["subject"], fields["outcome"])
    missing = sorted(set(expected) - indexed)
    if not missing:
        return None
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return (
        f"record {fields['id']} is missing from the who-saw index (audit_entity) for {shown}: "
        "rows were removed there, and who-saw would not find the record"
    )


WHOLE_STORE = "the whole store"
"""The scope of an operator's export: it names no entities, and held them all."""

WHOLE_STORE_MARK = "*"
"""The ``audit_entity`` id of a record about the whole store, which every
``who_saw`` asks for: found by the index like any entity, no scan of the log."""

WHOLE_STORE_ACTIONS = frozenset({Action.EXPORT.value, Action.SEARCH.value})
"""The actions that may concern the whole store (their subject's ``scope`` says so).
Other actions' subjects may carry what a caller sent, and so never count."""


def concerns_whole_store(action: str, subject: str, outcome: str) -> bool:
    """Whether a record (its stored, hashed fields) showed or passed on the whole store."""
    if outcome != Outcome.DONE.value or action not in WHOLE_STORE_ACTIONS:
        return False
    if WHOLE_STORE not in subject:  # the cheap test first: appends run it on every record
        return False
    try:
        parsed = orjson.loads(subject)
    except orjson.JSONDecodeError:
        return False
    return isinstance(parsed, dict) and parsed.get("scope") == WHOLE_STORE


def index_ids(entities: Sequence[str], action: str, subject: str, outcome: str) -> list[str]:
    """A record's rows in ``audit_entity``: its entities, and the marker if it
    concerns the whole store."""
    if concerns_whole_store(action, subject, outcome):
        return [*entities, WHOLE_STORE_MARK]
    return list(entities)


def who_saw(
    conn: Connection,
    entity_ids: str | Iterable[str],
    *,
    after: int = 0,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[AuditRecord]:
    """Every record about these entities, oldest first: a data-protection officer's question.

    Give one id, or all the members of a merged entity (one query for them all).
    Records about the whole store (an operator's export) are among the answers:
    they name no entities, and may have held these. ``after`` and ``limit`` page
    through the answers by record id (``newest_first`` pages backwards from the end).
    """
    wanted = {entity_ids} if isinstance(entity_ids, str) else set(entity_ids)
    if not wanted or (limit is not None and limit < 1):
        return []
    about = (
        select(audit_entity.c.audit_id)
        .where(audit_entity.c.entity_id.in_(sorted(wanted | {WHOLE_STORE_MARK})))
        .scalar_subquery()
    )
    found: list[AuditRecord] = []
    cursor: int | None = None
    while True:
        query = select(audit_log).where(audit_log.c.id.in_(about), audit_log.c.id > after)
        if newest_first:
            query = query.order_by(audit_log.c.id.desc())
            if cursor is not None:
                query = query.where(audit_log.c.id < cursor)
        else:
            query = query.order_by(audit_log.c.id)
            if cursor is not None:
                query = query.where(audit_log.c.id > cursor)
        asked = None if limit is None else limit - len(found)
        if asked is not None:
            query = query.limit(asked)
        rows = [_record(dict(row)) for row in conn.execute(query).mappings()]
        # The index finds them; each record's own (hashed) entity list or scope
        # confirms, so a row slipped into the index shows nobody anything.
        found += [record for record in rows if _confirms(record, wanted)]
        if asked is None or len(rows) < asked or len(found) == limit:
            return found
        cursor = rows[-1].id


def _confirms(record: AuditRecord, wanted: set[str]) -> bool:
    return not wanted.isdisjoint(record.entities) or concerns_whole_store(
        record.action, record.subject, record.outcome
    )


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
