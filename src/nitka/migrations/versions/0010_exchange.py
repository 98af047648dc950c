"""Exchange of operational information with partner agencies.

- ``partner``: an agency we exchange with, its address and public keys.
- ``message``: every message sent or received, with its fields as JSON and
  the columns the workflow and the lists need (status, deadline, thread).
- ``message_event``: each step of a message's workflow (who, when, what).
- ``outbox``: delivery state of outgoing messages (attempts, next try).
- ``disclosure``: which entity went to which agency in which message, so a
  correction or retraction reaches every agency the data was sent to.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "partner",
        sa.Column("agency_id", sa.String(ID), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("signing_key", sa.String(64), nullable=False),
        sa.Column("encryption_key", sa.String(64), nullable=True),
        sa.Column("added_at", sa.String(32), nullable=False),
        sa.Column("added_by", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("agency_id", name="pk_partner"),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name="fk_partner_agency_id"),
    )
    op.create_table(
        "message",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("sender", sa.String(ID), nullable=False),
        sa.Column("receiver", sa.String(ID), nullable=False),
        sa.Column("reference", sa.String(ID), nullable=False),
        sa.Column("their_reference", sa.String(ID), nullable=True),
        sa.Column("in_reply_to", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("deadline", sa.String(32), nullable=True),
        sa.Column("case_id", sa.String(ID), nullable=True),
        sa.Column("author", sa.String(ID), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("sent_at", sa.String(32), nullable=True),
        sa.Column("received_at", sa.String(32), nullable=True),
        sa.Column("answered_at", sa.String(32), nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("envelope", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_message"),
    )
    op.create_index("ix_message_status", "message", ["status"])
    op.create_index("ix_message_kind", "message", ["kind"])
    op.create_index("ix_message_in_reply_to", "message", ["in_reply_to"])
    op.create_table(
        "message_event",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(ID), nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_message_event"),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"], name="fk_message_event_message_id"),
    )
    op.create_index("ix_message_event_message_id", "message_event", ["message_id"])
    op.create_table(
        "outbox",
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt", sa.Float, nullable=False),
        sa.Column("claimed_until", sa.Float, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("delivered_at", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("message_id", name="pk_outbox"),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"], name="fk_outbox_message_id"),
    )
    op.create_index("ix_outbox_next_attempt", "outbox", ["next_attempt"])
    op.create_table(
        "disclosure",
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(ID), nullable=False),
        sa.Column("agency_id", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("message_id", "entity_id", name="pk_disclosure"),
    )
    op.create_index("ix_disclosure_entity_id", "disclosure", ["entity_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_disclosure_entity_id", "disclosure"),
        ("ix_outbox_next_attempt", "outbox"),
        ("ix_message_event_message_id", "message_event"),
        ("ix_message_in_reply_to", "message"),
        ("ix_message_status", "message"),
        ("ix_message_kind", "message"),
    ):
        op.drop_index(index, table_name=table)
    for table in ("disclosure", "outbox", "message_event", "message", "partner"):
        op.drop_table(table)
