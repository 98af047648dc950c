"""Sign-in through an agency's identity provider, watch lists shared with units,
and sign-in attempts counted across server processes.

- ``account_identity`` binds an identity at a provider (its issuer's name in
  the settings and the subject the provider gives) to one local account: the
  role and the cases stay decisions of the unit that runs Nitka.
- ``list_share``: a dataset with rows here is seen only by the units named; a
  dataset without rows by every unit.
- ``sign_in_attempt``: one row per attempt and client address, so that the
  limit on sign-in attempts holds for all the workers of ``nitka serve``.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "account_identity",
        sa.Column("provider", sa.String(ID), nullable=False),
        sa.Column("subject", sa.String(ID), nullable=False),
        sa.Column("account", sa.String(ID), nullable=False),
        sa.Column("linked_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("provider", "subject", name="pk_account_identity"),
        sa.ForeignKeyConstraint(["account"], ["account.name"], name="fk_account_identity_account"),
    )
    op.create_table(
        "list_share",
        sa.Column("dataset", sa.String(ID), nullable=False),
        sa.Column("unit_id", sa.String(ID), nullable=False),
        sa.Column("shared_at", sa.String(32), nullable=False),
        sa.Column("shared_by", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("dataset", "unit_id", name="pk_list_share"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name="fk_list_share_unit_id"),
    )
    op.create_table(
        "sign_in_attempt",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("address", sa.String(ID), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sign_in_attempt"),
    )
    op.create_index("ix_sign_in_attempt_address_at", "sign_in_attempt", ["address", "at"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_attempt_address_at", table_name="sign_in_attempt")
    for table in ("sign_in_attempt", "list_share", "account_identity"):
        op.drop_table(table)
