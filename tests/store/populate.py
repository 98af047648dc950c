"""A populated store at any revision of the history, for the upgrade tests.

Today's services cannot write to an old schema, so ``populate`` works from the
schema as the store has it at its revision: it reflects the tables and fills
each, parents before children, with a few rows whose values fit each column's
type, length, nullability and uniqueness, and whose foreign keys name real
parent rows (``_fill``); the schema has no CHECK constraints (a table that gets
one needs real-looking rows here, or the filler fails on it, naming the table).
Where it matters it writes real-looking rows instead,
as the Nitka of that revision would have (filtered to the columns the table
has then):

- statements of a few FtM entities (persons, a passport, a company, a
  directorship) with police provenance, and their search rows;
- agencies, units, accounts, a token, a case and its members;
- an audit chain of sign-ins, searches, views, a whole-store export, a refusal
  and a change, hashed as ``nitka.access.audit`` hashes it, with the head;
- change records, and the chatbot's counts as ``store_setting`` keys (how they
  were kept before 0023 moved them into ``chat_count``).

``generation`` lets a store be populated again at a later revision (the
step-by-step test): its rows are new ones beside the earlier generations',
and its audit records go on from the chain's head.

The audit chain's rules: ``record_hash`` has not changed since 0007, so the
records are hashed with today's function. 0013 added a rule: a record about
the whole store has a ``*`` row in ``audit_entity``. Before 0013 the store had
no such row (the migration writes it), so ``populate`` writes it only at
0013 and after; the upgrade must add it for today's verifier to pass.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)

from nitka.access.audit import (
    WHOLE_STORE,
    WHOLE_STORE_MARK,
    concerns_whole_store,
    record_hash,
    subject_json,
)
from nitka.model.grading import Grading
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import PoliceStatement, Provenance, statements_from_entity
from nitka.search.index import index_rows
from nitka.store.migrate import history
from tests.helpers import make_entity

ROWS = 3
"""Rows of each table filled by type: enough for foreign keys to spread."""
SKIPPED_PREFIXES = ("alembic_version", "search_fts", "sqlite_")
"""Alembic's own table, SQLite's FTS5 index (rebuilt from ``search_name``) and
SQLite's internal tables."""
CASE = "case-2026-017"
DATASET = "npu_thb"
MARKED_FROM = "0013"
"""The revision from which a whole-store audit record has a ``*`` index row."""
CHAT_COUNTS_FROM = "0023"
"""The revision from which the chatbot's counts are in ``chat_count``."""
START = datetime(2026, 3, 2, 9, 0)


def at_or_after(revision: str | None, other: str) -> bool:
    """Whether ``revision`` comes at or after ``other`` in the history."""
    order = history()
    return revision is not None and order.index(revision) >= order.index(other)


def store_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def reflect(conn: Connection) -> dict[str, Table]:
    """The store's tables as they are now (in foreign-key order), skipped ones left out."""
    meta = MetaData()
    meta.reflect(conn)
    return {
        table.name: table
        for table in meta.sorted_tables
        if not table.name.startswith(SKIPPED_PREFIXES)
    }


def populate(engine: Engine, generation: int = 0) -> None:
    """Fill the store, at whatever revision it is, with rows that fit its schema."""
    with engine.begin() as conn:
        _Populator(conn, generation).run()


@dataclass
class _Populator:
    conn: Connection
    generation: int

    def run(self) -> None:
        self.revision = store_revision(self.conn)
        self.tables = reflect(self.conn)
        self.suffix = "" if self.generation == 0 else f"-g{self.generation}"
        self.done: set[str] = {"audit_head"}  # its one row is the chain's (``audit``)
        self.accounts()
        self.statements()
        self.audit()
        self.changes()
        self.settings()
        for table in self.tables.values():
            if table.name not in self.done:
                self._fill(table, [{} for _ in range(ROWS)])
        self._after()

    # -- real-looking rows -------------------------------------------------

    def accounts(self) -> None:
        s = self.suffix
        created = _iso(START)
        self._write("agency", [
            {"id": f"ua-npu{s}", "name": "Національна поліція України", "country": "ua"},
            {"id": f"bg-gdnp{s}", "name": "Главна дирекция Национална полиция", "country": "bg"},
            {"id": f"de-bka{s}", "name": "Bundeskriminalamt", "country": "de"},
        ])  # fmt: skip
        self._write("unit", [
            {"id": f"ua-thb{s}", "agency_id": f"ua-npu{s}",
             "name": "Відділ протидії торгівлі людьми"},
            {"id": f"ua-ncb{s}", "agency_id": f"ua-npu{s}", "name": "НЦБ Інтерполу"},
            {"id": f"bg-thb{s}", "agency_id": f"bg-gdnp{s}", "name": "Сектор трафик на хора"},
        ])  # fmt: skip
        accounts = [("olena.admin", "administrator", "ua-thb"),
                    ("taras.analyst", "analyst", "ua-thb"),
                    ("iryna.liaison", "liaison", "ua-ncb"),
                    ("petar.auditor", "auditor", "bg-thb")]  # fmt: skip
        self._write("account", [
            {"name": f"{name}{s}", "role": role, "unit_id": f"{unit}{s}",
             "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$" + _hex(name)[:43],
             "failed_sign_ins": index, "disabled": index == 3, "created_at": created}
            for index, (name, role, unit) in enumerate(accounts)
        ])  # fmt: skip
        self._write("api_token", [
            {"id": _hex(f"token{s}")[:32], "secret_hash": _hex(f"secret{s}"),
             "account": f"taras.analyst{s}", "label": "screening desk", "created_at": created,
             "expires_at": _iso(START + timedelta(days=365)), "purpose": "border checks"},
        ])  # fmt: skip
        self._write("case_file", [
            {"id": f"{CASE}{s}", "title": "Вербування через агенцію у Варні",
             "created_at": created, "created_by": f"taras.analyst{s}"},
        ])  # fmt: skip
        self._write("case_member", [
            {"case_id": f"{CASE}{s}", "account": f"{name}{s}", "added_at": created,
             "added_by": f"taras.analyst{s}"}
            for name in ("taras.analyst", "iryna.liaison")
        ])  # fmt: skip

    def statements(self) -> None:
        if "statement" not in self.tables:
            return
        rows = [_statement_row(stmt) for stmt in police_statements(self.generation)]
        self._write("statement", rows)
        indexed = [(r["canonical_id"], r["schema"], r["prop"], r["prop_type"], r["value"],
                    r["dataset"], r["case_id"]) for r in rows]  # fmt: skip
        columns = ("canonical_id", "schema", "name", "keys", "skel", "facets", "lookup_key")
        self._write(
            "search_name", [dict(zip(columns, row, strict=True)) for row in index_rows(indexed)]
        )

    def audit(self) -> None:
        if "audit_log" not in self.tables:
            return
        s, ids = self.suffix, entity_ids(self.generation)
        person, suspect = ids["person"], ids["suspect"]
        purpose = f"{CASE}{s}: recruitment network"
        events = [
            ("olena.admin", "web@10.20.0.5", "sign-in", "", {"method": "password"}, [], 0, "done"),
            ("taras.analyst", "cli@desk-7", "search", purpose, {"q": "Коваль"}, [person], 1,
             "done"),
            ("taras.analyst", "web@10.20.0.9", "view", purpose, {"id": person}, [person], 1,
             "done"),
            ("operator", "cli@server", "export", "backup before upgrade",
             {"scope": WHOLE_STORE, "format": "statements"}, [], 12, "done"),
            ("iryna.liaison", "web@10.20.0.11", "view", purpose, {"id": suspect}, [], 0, "refused"),
            ("taras.analyst", "cli@desk-7", "change", purpose,
             {"merge": [person, suspect], "reason": "same passport"}, [person, suspect], 2, "done"),
        ]  # fmt: skip
        head_table = self.tables["audit_head"]
        head = self.conn.execute(select(head_table).where(head_table.c.id == 1)).mappings().one()
        last_id, last_hash = head["last_id"], head["last_hash"]
        marked = at_or_after(self.revision, MARKED_FROM)
        records, indexed = [], []
        now = datetime.now(UTC)
        for offset, event in enumerate(events, 1):
            actor, origin, action, why, subject, entities, size, outcome = event
            at = now - timedelta(minutes=len(events) - offset)
            fields: dict[str, Any] = {
                "id": last_id + offset,
                "at": at.isoformat(timespec="microseconds"),
                "actor": f"{actor}{s}",
                "origin": origin,
                "action": action,
                "purpose": why,
                "subject": subject_json(subject),
                "entities": orjson.dumps(sorted(set(entities))).decode(),
                "result_size": size,
                "outcome": outcome,
            }
            digest = record_hash(last_hash, fields)
            records.append({**fields, "prev_hash": last_hash, "hash": digest})
            index = sorted(set(entities))
            if marked and concerns_whole_store(action, fields["subject"], outcome):
                index.append(WHOLE_STORE_MARK)
            indexed += [{"audit_id": fields["id"], "entity_id": e} for e in index]
            last_hash = digest
        self._write("audit_log", records)
        self._write("audit_entity", indexed)
        self.conn.execute(
            update(head_table).values(last_id=last_id + len(events), last_hash=last_hash)
        )

    def changes(self) -> None:
        ids = entity_ids(self.generation)
        self._write("change", [
            {"kind": "statements", "entity_ids": orjson.dumps(sorted(ids.values())).decode(),
             "datasets": orjson.dumps([DATASET]).decode(), "created_at": START},
            {"kind": "merged", "entity_ids": orjson.dumps([ids["person"], ids["suspect"]]).decode(),
             "datasets": "[]", "created_at": START + timedelta(hours=1)},
            {"kind": "withdrawn", "entity_ids": orjson.dumps([ids["passport"]]).decode(),
             "datasets": orjson.dumps(["interpol_sltd"]).decode(),
             "created_at": START + timedelta(hours=2)},
        ])  # fmt: skip

    def settings(self) -> None:
        s = self.suffix
        rows = [{"key": f"resolve.batch_threshold{s}", "value": "0.9"}]
        if not at_or_after(self.revision, CHAT_COUNTS_FROM):
            day = (date(2026, 5, 1) + timedelta(days=self.generation)).isoformat()
            rows += [{"key": f"chat:{day}:{lang}:{what}", "value": value}
                     for lang, what, value in CHAT_KEYS]  # fmt: skip
            rows.append({"key": f"chat:someday:uk:offer{s}", "value": "1"})  # not a count
        self._write("store_setting", [
            {**row, "changed_by": "chatbot", "changed_at": START} for row in rows
        ])  # fmt: skip

    # -- rows that fit the schema -------------------------------------------

    def _write(self, name: str, rows: list[dict[str, Any]]) -> None:
        """Write real-looking rows to a table the store has (a column it does not
        have yet is left out; one the rows do not give is filled by type)."""
        table = self.tables.get(name)
        if table is None:
            return
        self.done.add(name)
        self._fill(table, [{k: v for k, v in row.items() if k in table.c} for row in rows])

    def _fill(self, table: Table, rows: list[dict[str, Any]]) -> None:
        self.done.add(table.name)
        if not rows:
            return
        taken = self.conn.execute(select(func.count()).select_from(table)).scalar_one()
        single_key = list(table.primary_key.columns)
        next_id = None
        if len(single_key) == 1 and isinstance(single_key[0].type, Integer):
            next_id = (self.conn.execute(select(func.max(single_key[0]))).scalar() or 0) + 1
        for index, row in enumerate(rows):
            number = taken + index
            for column in table.columns:
                if column.name in row or column.computed is not None:
                    continue
                if next_id is not None and column is single_key[0]:
                    row[column.name] = next_id + index
                    continue
                row[column.name] = self._value(table, column, number)
        rows = self._one_per_parent(table, rows)
        if rows:
            self.conn.execute(insert(table), rows)

    def _one_per_parent(self, table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A table keyed by one foreign key alone (a partner per agency, an outbox row
        per message) takes a row for each parent it has none for yet."""
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not keys[0].foreign_keys:
            return rows
        key = keys[0]
        parent = next(iter(key.foreign_keys)).column
        free = self.conn.execute(
            select(parent).where(parent.not_in(select(key))).order_by(parent)
        ).scalars().all()  # fmt: skip
        rows = rows[: len(free)]
        for row, value in zip(rows, free, strict=False):
            row[key.name] = value
        return rows

    def _value(self, table: Table, column: Column[Any], number: int) -> Any:
        """The ``number``-th row's value of a column: a parent's key for a foreign key
        (spread over the parents), else one of the column's type, distinct per row
        (so unique columns stay unique), within its length. Nullable columns get a
        value too, so that the upgrade is seen to keep it."""
        for key in column.foreign_keys:
            parents = self.conn.execute(select(key.column).order_by(key.column)).scalars().all()
            if not parents:
                if column.nullable:
                    return None
                raise AssertionError(f"{table.name}.{column.name}: no {key.column} to refer to")
            return parents[number % len(parents)]
        kind = column.type
        if isinstance(kind, Boolean):
            return number % 2 == 0
        if isinstance(kind, Integer):
            return number + 1
        if isinstance(kind, Float | Numeric):
            return number + 0.25
        if isinstance(kind, DateTime):
            return START + timedelta(days=number, minutes=number)
        if isinstance(kind, Date):
            return date(2026, 1, 1) + timedelta(days=number)
        if isinstance(kind, String):
            value = f"{number}·{table.name}.{column.name} Коваль"  # numbered first: unique
            return value[: kind.length] if kind.length else value
        raise AssertionError(f"{table.name}.{column.name}: no value for a column of type {kind}")

    def _after(self) -> None:
        if self.conn.dialect.name == "postgresql":
            # Rows were written with their ids: the serial sequences go on after them.
            for table in self.tables.values():
                keys = list(table.primary_key.columns)
                if len(keys) == 1 and isinstance(keys[0].type, Integer):
                    self._follow_sequence(table.name, keys[0].name)
        elif "search_name" in self.tables:
            # From 0002 the index's writer, not a trigger, fills the FTS5 table.
            self.conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")

    def _follow_sequence(self, table: str, column: str) -> None:
        sequence = self.conn.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": f'"{table}"', "column": column},
        ).scalar()
        if sequence is not None:
            self.conn.execute(
                text(f'SELECT setval(:sequence, max("{column}")) FROM "{table}" '
                     "HAVING count(*) > 0"),
                {"sequence": sequence},
            )  # fmt: skip


CHAT_KEYS = (("uk", "offer", "3"), ("uk", "ind:upfront_fee", "2"), ("en", "risky", "1"))
"""Counts the chatbot kept as ``chat:DAY:LANG:WHAT`` settings before 0023."""


def entity_ids(generation: int) -> dict[str, str]:
    suffix = "" if generation == 0 else f"-g{generation}"
    names = ("person", "suspect", "passport", "company", "directorship")
    return {name: f"npu-{name}{suffix}" for name in names}


def police_statements(generation: int) -> list[PoliceStatement]:
    """A victim with her passport, a suspect, the agency that recruited and his place
    in it: the statements an investigation's ingest writes, with their provenance."""
    ids = entity_ids(generation)
    victim = Provenance(dataset=DATASET, case=CASE, grading=Grading.parse("B2"),
                        category=DataSubjectCategory.VICTIM, handling=HandlingCode.H3,
                        handling_note="не передавати третім країнам",
                        seen="2026-02-11T10:00:00")  # fmt: skip
    suspect = Provenance(dataset=DATASET, case=CASE, grading=Grading.parse("C3"),
                         category=DataSubjectCategory.SUSPECT, handling=HandlingCode.H1,
                         seen="2026-02-12T08:30:00")  # fmt: skip
    entities = [
        (victim, make_entity("Person", ids["person"], name=["Марія Коваль", "Mariia Koval"],
                             birthDate="1999-04-01", nationality="ua", gender="female")),
        (victim, make_entity("Passport", ids["passport"], holder=ids["person"], number="FE123456",
                             country="ua", type="passport")),
        (suspect, make_entity("Person", ids["suspect"], name="Иван Петров", birthDate="1984-11-23",
                              nationality="bg", phone="+359888123456")),
        (suspect, make_entity("Company", ids["company"], name="Varna Job Agency EOOD",
                              jurisdiction="bg", registrationNumber="204512345")),
        (suspect, make_entity("Directorship", ids["directorship"], director=ids["suspect"],
                              organization=ids["company"], role="manager")),
    ]  # fmt: skip
    origin = f"{DATASET}.csv:{generation + 1}"
    return [stmt for provenance, entity in entities
            for stmt in statements_from_entity(entity, provenance, origin)]  # fmt: skip


def _statement_row(stmt: PoliceStatement) -> dict[str, Any]:
    return {
        "id": stmt.id, "entity_id": stmt.entity_id, "canonical_id": stmt.canonical_id,
        "schema": stmt.schema, "prop": stmt.prop, "prop_type": stmt.prop_type,
        "value": stmt.value, "original_value": stmt.original_value, "lang": stmt.lang,
        "dataset": stmt.dataset, "origin": stmt.origin, "first_seen": stmt.first_seen,
        "last_seen": stmt.last_seen, "reliability": stmt.reliability.value,
        "credibility": stmt.credibility.value, "category": stmt.category.value,
        "handling": stmt.handling.value, "handling_note": stmt.handling_note,
        "case_id": stmt.case, "assessment": stmt.assessment, "author": stmt.author,
    }  # fmt: skip


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# -- what a store holds, to compare before and after an upgrade ---------------


@dataclass(frozen=True)
class TableRows:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def projected(self, columns: Sequence[str]) -> Counter[tuple[Any, ...]]:
        at = [self.columns.index(name) for name in columns]
        return Counter(tuple(row[i] for i in at) for row in self.rows)


def snapshot(engine: Engine) -> dict[str, TableRows]:
    """Every row of every table, by table, as the driver gives them (no reflection:
    a snapshot is taken at every step of the history)."""
    with engine.connect() as conn:
        found = {}
        for name in inspect(conn).get_table_names():
            if name.startswith(SKIPPED_PREFIXES):
                continue
            result = conn.exec_driver_sql(f'SELECT * FROM "{name}"')
            columns = tuple(result.keys())
            found[name] = TableRows(columns, tuple(tuple(row) for row in result))
        return found


def missing_rows(
    before: dict[str, TableRows], after: dict[str, TableRows], ignored: Mapping[str, Iterable[str]]
) -> dict[str, list[tuple[Any, ...]]]:
    """The rows (on the columns they had, less ``ignored`` ones) of each table in
    ``before`` that ``after`` no longer holds; a table gone altogether is named with
    all its rows, and a column gone with ``("column gone", name)``."""
    missing: dict[str, list[tuple[Any, ...]]] = {}
    for name, old in before.items():
        new = after.get(name)
        if new is None:
            if old.rows:
                missing[name] = list(old.rows)
            continue
        skip = set(ignored.get(name, ()))
        gone = [c for c in old.columns if c not in new.columns and c not in skip]
        if gone:
            missing[name] = [("column gone", c) for c in gone]
            continue
        columns = [c for c in old.columns if c not in skip]
        lost = old.projected(columns) - new.projected(columns)
        if lost:
            missing[name] = sorted(lost.elements(), key=repr)
    return missing
