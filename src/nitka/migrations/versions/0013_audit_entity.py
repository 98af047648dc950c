"""Who-saw by index alone: records about the whole store get a marker row in
``audit_entity``, and its entity index covers the record id.

``nitka audit who-saw`` found an entity's records through ``audit_entity``,
but exports of the whole store name no entities, so it also scanned the log
for them (``subject LIKE '%the whole store%'``): 300 ms a question at a
million records. Such a record now has a row with the entity id ``*``
(``nitka.access.audit.WHOLE_STORE_MARK``), which every who-saw asks for;
this migration writes that row for the records already in the log, with the
same rule as ``append`` (a done export or search whose subject's ``scope``
is the whole store).

The records' own entity rows were written with each record since 0007, and
the log's triggers refuse their deletion: a missing row is tampering, which
``nitka audit verify`` now names, so it is not quietly written back here.

The index on ``entity_id`` becomes one on ``(entity_id, audit_id)``: who-saw
reads the record ids from the index alone.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

WHOLE_STORE = "the whole store"
MARK = "*"
BATCH = 10_000


def upgrade() -> None:
    bind = op.get_bind()
    candidates = bind.execute(
        sa.text(
            "SELECT id, subject FROM audit_log WHERE outcome = 'done' "
            "AND action IN ('export', 'search') AND subject LIKE :scope ORDER BY id"
        ),
        {"scope": f"%{WHOLE_STORE}%"},
    )
    marked = [{"audit_id": record_id, "entity_id": MARK}
              for record_id, subject in candidates if _whole_store(subject)]  # fmt: skip
    insert = sa.text(
        "INSERT INTO audit_entity (audit_id, entity_id) VALUES (:audit_id, :entity_id)"
    )
    for start in range(0, len(marked), BATCH):
        bind.execute(insert, marked[start : start + BATCH])
    op.create_index("ix_audit_entity_entity_id_audit_id", "audit_entity", ["entity_id", "audit_id"])
    op.drop_index("ix_audit_entity_entity_id", table_name="audit_entity")


def downgrade() -> None:
    # The marker rows stay: the log's triggers refuse deletions, and the code
    # of 0011 confirms every row it finds against the record, so they show nothing.
    op.create_index("ix_audit_entity_entity_id", "audit_entity", ["entity_id"])
    op.drop_index("ix_audit_entity_entity_id_audit_id", table_name="audit_entity")


def _whole_store(subject: str) -> bool:
    try:
        parsed = json.loads(subject)
    except ValueError:
        return False
    return isinstance(parsed, dict) and parsed.get("scope") == WHOLE_STORE
