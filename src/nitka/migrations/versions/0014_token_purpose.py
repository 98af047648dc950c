"""API tokens carry a default purpose; a list entry's hits are found by index.

Every check is logged with its purpose (Directive 2016/680, Art. 25), and a
client that cannot send ``X-Nitka-Purpose`` (yente's clients, such as
nomenklatura's enricher) states it through its token: ``nitka token create
NAME --purpose TEXT``. A request's own purpose overrides it.

The entity page shows an entry's latest hit: ``owner_notice`` gets an index on
``entry_id`` so that the question does not read every notice.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_token") as table:
        table.add_column(sa.Column("purpose", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_owner_notice_entry_id", "owner_notice", ["entry_id"])


def downgrade() -> None:
    op.drop_index("ix_owner_notice_entry_id", table_name="owner_notice")
    with op.batch_alter_table("api_token") as table:
        table.drop_column("purpose")
