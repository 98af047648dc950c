"""Turning a converter's records into prepared batches: rows ready to write.

Everything here is computation without a database (parsing, checking,
statement ids, search keys), so that it can run in a parser process beside
the process that writes (see ``nitka.ingest.worker``). The writer gets rows
it hands to the database driver as they are.

A batch ends at an entity boundary where it can: statement files list an
entity's statements together, and an entity split over two batches would
make the second batch rebuild its index rows from the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import orjson

from nitka.errors import BadRecord, RecordError
from nitka.ingest.base import Categorised, Converted, Converter
from nitka.ingest.notes import noting
from nitka.ingest.readers import STDIN
from nitka.model.statement import PoliceStatement, Provenance, statements_from_entity
from nitka.search.index import IndexedValue, IndexRow, index_rows, is_indexed
from nitka.store.writer import (
    RowGroup,
    StatementRow,
    group_rows,
    merge_duplicates,
    resolve_canonical,
    statement_values,
)


class OnError(StrEnum):
    """What an ingest does with a bad record."""

    ROLLBACK = "rollback"
    """Stop at the first bad record; its batch is rolled back, earlier batches stay."""
    REJECT = "reject"
    """Write the bad record to the reject file and go on."""


@dataclass
class Rejected:
    """A bad record, or a value dropped from a kept record, as the reject file
    keeps it: the error and the reject file's line."""

    error: str
    line: bytes
    record_kept: bool = False
    """A dropped value: its record was stored without it."""


@dataclass
class PreparedBatch:
    """One batch of records, converted, with the rows to write for it."""

    last_record: int
    """The number of the batch's last record: the resume mark once it is committed."""
    records: int
    """How many records the batch covers, rejected ones included."""
    statements: list[RowGroup]
    """The statement rows, one per id, grouped by the columns they leave NULL."""
    touched: set[str]
    """The canonical ids the batch writes to."""
    resolved: dict[str, str]
    """Entities that arrived as members of a merged cluster: entity id -> canonical id."""
    index: list[IndexRow]
    """Search index rows of the touched entities, as if the store had not known them."""
    entity_ids: set[str]
    rejects: list[Rejected] = field(default_factory=list)

    @property
    def rejected_records(self) -> int:
        return sum(not r.record_kept for r in self.rejects)

    @property
    def dropped_values(self) -> int:
        return sum(r.record_kept for r in self.rejects)

    @property
    def statement_count(self) -> int:
        return sum(len(rows) for _present, rows in self.statements)

    def to_plain(self) -> tuple[Any, ...]:
        """The batch as plain tuples, lists, sets and strings, which ``marshal`` can carry.

        ``marshal`` writes and reads such data about twice as fast as pickle,
        and a batch of 100,000 statements crosses from the parser to the
        writer as some 20 MiB.
        """
        return (
            self.last_record,
            self.records,
            self.statements,
            self.touched,
            self.resolved,
            self.index,
            self.entity_ids,
            [(r.error, r.line, r.record_kept) for r in self.rejects],
        )

    @classmethod
    def from_plain(cls, plain: tuple[Any, ...]) -> PreparedBatch:
        last_record, records, statements, touched, resolved, index, entity_ids, rejects = plain
        return cls(
            last_record=last_record,
            records=records,
            statements=statements,
            touched=touched,
            resolved=resolved,
            index=index,
            entity_ids=entity_ids,
            rejects=[Rejected(error, line, kept) for error, line, kept in rejects],
        )


FIRST_BATCH = 5_000
"""Batches start at this size and double up to the batch size, so that the
writer starts early while a parser process prepares the larger batches."""


class BatchBuilder:
    """Reads a converter's records from a resume point and yields prepared batches.

    In rollback mode a bad record raises its RecordError once every complete
    batch before it was yielded; the records before it in its own batch are
    not yielded, so the caller commits nothing of that batch.
    """

    def __init__(
        self,
        converter: Converter,
        provenance: Provenance,
        canonical: dict[str, str],
        *,
        batch_size: int,
        on_error: OnError,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch size must be at least 1")
        self.converter = converter
        self.provenance = provenance
        self.canonical = canonical
        self.batch_size = batch_size
        self.on_error = on_error

    def batches(self, skip: int) -> Iterator[PreparedBatch]:
        pending: list[PoliceStatement] = []
        rejects: list[Rejected] = []
        records = 0
        last_record = skip
        previous_entities: set[str] = set()
        size = min(self.batch_size, FIRST_BATCH)
        for number, record in self.converter.records():
            if number <= skip:
                continue
            statements = self._convert(number, record, rejects)
            entities = {s.entity_id for s in statements}
            if records >= size and (not entities & previous_entities or records >= 2 * size):
                yield self._prepare(pending, records, last_record, rejects)
                pending, rejects, records = [], [], 0
                size = min(self.batch_size, 2 * size)
            pending.extend(statements)
            records += 1
            last_record = number
            previous_entities = entities
        if records:
            yield self._prepare(pending, records, last_record, rejects)

    def _convert(self, number: int, record: Any, rejects: list[Rejected]) -> list[PoliceStatement]:
        converter = self.converter
        try:
            if isinstance(record, BadRecord):
                raise record.error
            with noting() as dropped:
                made = _statements(converter.convert(record), self.provenance, converter, number)
        except RecordError as exc:
            error = exc.located(converter.path, number) if not exc.path else exc
            if self.on_error == OnError.ROLLBACK:
                raise error from None
            raw = record.raw if isinstance(record, BadRecord) else record
            rejects.append(Rejected(str(error), _reject_line(error, raw)))
            return []
        for value in dropped:
            note = RecordError(value.reason, field=value.field, record=number, path=converter.path)
            line = _reject_line(note, record, value=value.value, record_kept=True)
            rejects.append(Rejected(str(note), line, record_kept=True))
        return made

    def _prepare(
        self,
        pending: list[PoliceStatement],
        records: int,
        last_record: int,
        rejects: list[Rejected],
    ) -> PreparedBatch:
        rows: list[StatementRow] = []
        values: list[IndexedValue] = []
        resolved: dict[str, str] = {}
        canonical = self.canonical
        for stmt in pending:
            was_known = stmt.entity_id in canonical
            canonical_id = resolve_canonical(stmt, canonical)
            if not was_known and stmt.entity_id in canonical:
                resolved[stmt.entity_id] = canonical_id
            rows.append(statement_values(stmt, canonical_id))
            prop_type = stmt.prop_type
            if is_indexed(stmt.prop, prop_type):
                values.append(
                    (
                        canonical_id,
                        stmt.schema,
                        stmt.prop,
                        prop_type,
                        stmt.value,
                        stmt.dataset,
                        stmt.case,
                    )
                )
        unique = merge_duplicates(rows)
        return PreparedBatch(
            last_record=last_record,
            records=records,
            statements=group_rows(unique),
            touched={row[2] for row in unique},
            resolved=resolved,
            index=index_rows(values),
            entity_ids={stmt.entity_id for stmt in pending},
            rejects=rejects,
        )


def _statements(
    items: Iterable[Converted], provenance: Provenance, converter: Converter, number: int
) -> list[PoliceStatement]:
    """The statements of one record's items, all made here so that errors
    are raised while the record is at hand."""
    statements: list[PoliceStatement] = []
    for item in items:
        if isinstance(item, PoliceStatement):
            statements.append(item)
        elif isinstance(item, Categorised):
            origin = f"{converter.origin_name}:{number}"
            categorised = replace(provenance, category=item.category)
            statements.extend(statements_from_entity(item.entity, categorised, origin=origin))
        else:
            origin = f"{converter.origin_name}:{number}"
            statements.extend(statements_from_entity(item, provenance, origin=origin))
    return statements


def _reject_line(
    error: RecordError, record: Any, *, value: str | None = None, record_kept: bool = False
) -> bytes:
    """A reject file line: the record's place, the field and the error; for a value
    dropped from a kept record, also the value and ``"record_kept": true``."""
    data: dict[str, Any] = {
        "path": error.path,
        "record": error.record,
        "field": error.field,
        "error": error.message,
    }
    if record_kept:
        data |= {"value": value, "record_kept": True}
    data["data"] = record
    return orjson.dumps(data, default=str) + b"\n"


def default_reject_path(converter: Converter) -> str:
    default = "stdin" if converter.path == STDIN else converter.path
    return f"{default}.rejects.jsonl"
