"""Notes in a case: an analyst's assessments, kept apart from facts.

A note is an FtM ``Note`` entity whose statements are marked as assessments
(Directive 2016/680 Art. 7: facts and personal assessments are told apart)
with their author and the case; it names the entities it is about. It is
stored like any other entity, so it has provenance, is exported, and is seen
only by the case's members.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from followthemoney import model
from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.access.visibility import Viewer
from nitka.analysis.graph import visible_entities
from nitka.effects import ChangeKind, after_write
from nitka.errors import FieldError
from nitka.model.statement import Provenance, statements_from_entity
from nitka.store.tables import statement
from nitka.store.writer import write_statements

NOTES_DATASET = "analyst-notes"
MAX_NOTE = 20_000


class NoteError(FieldError):
    """A note that cannot be written as asked."""


@dataclass(frozen=True)
class Note:
    id: str
    text: str
    about: list[str]
    author: str
    written_at: str


def add_note(conn: Connection, case_id: str, author: str, text: str, about: list[str]) -> str:
    """Write a note (an assessment) in a case; returns its entity id."""
    if not text.strip():
        raise NoteError("a note needs a text", field="text")
    if len(text) > MAX_NOTE:
        raise NoteError(f"a note holds at most {MAX_NOTE:,} characters", field="text")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    digest = hashlib.sha1(f"{case_id}\n{author}\n{now}\n{text}".encode()).hexdigest()
    note = model.make_entity("Note")
    note.id = f"note-{digest}"
    note.add("description", text)
    note.add("createdAt", now[:19])
    for entity_id in about:
        note.add("entity", entity_id)
    provenance = Provenance(
        NOTES_DATASET, case=case_id, assessment=True, author=author, seen=now[:19]
    )
    write_statements(conn, statements_from_entity(note, provenance, f"note by {author}"), {})
    # Notes are read in their case, not searched: no index rows, but a change record.
    after_write(
        conn, ChangeKind.STATEMENTS, [note.id], datasets=[NOTES_DATASET], reindexed=[note.id]
    )
    return note.id


def notes_of(conn: Connection, viewer: Viewer, case_id: str) -> list[Note]:
    """The notes of a case the viewer may see, newest first."""
    ids = conn.execute(
        select(statement.c.canonical_id)
        .where(statement.c.case_id == case_id, statement.c.schema == "Note")
        .distinct()
    ).scalars()
    notes: list[Note] = []
    for entity in visible_entities(conn, viewer, list(ids)).values():
        values: dict[str, list[str]] = {}
        for stmt in entity.statements:
            values.setdefault(stmt.prop, []).append(stmt.value)
        author = next((s.author for s in entity.statements if s.author), "") or ""
        notes.append(
            Note(
                entity.id,
                "\n".join(values.get("description", [])),
                values.get("entity", []),
                author,
                min(values.get("createdAt", [""])),
            )
        )
    return sorted(notes, key=lambda n: n.written_at, reverse=True)
