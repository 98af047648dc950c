"""Agencies, units, accounts, API tokens, and cases with their members.

Agencies and units are records of their own, so that two agencies can later
exchange data and a list can be shared with a unit. A password is kept as
an argon2 hash, a token as the SHA-256 of its secret (tokens are long random
strings: a fast hash is enough, and lets every request be checked quickly).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(8), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_agency"),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("agency_id", sa.String(ID), nullable=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unit"),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name="fk_unit_agency_id"),
    )
    op.create_table(
        "account",
        sa.Column("name", sa.String(ID), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("unit_id", sa.String(ID), nullable=True),
        sa.Column("password_hash", sa.Text, nullable=True),
        sa.Column("totp_secret", sa.String(64), nullable=True),
        sa.Column("failed_sign_ins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.String(32), nullable=True),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_account"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name="fk_account_unit_id"),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("account", sa.String(ID), nullable=False),
        sa.Column("label", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=True),
        sa.Column("revoked_at", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_token"),
        sa.ForeignKeyConstraint(["account"], ["account.name"], name="fk_api_token_account"),
    )
    op.create_index("ix_api_token_account", "api_token", ["account"])
    op.create_table(
        "case_file",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_file"),
    )
    op.create_table(
        "case_member",
        sa.Column("case_id", sa.String(ID), nullable=False),
        sa.Column("account", sa.String(ID), nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False),
        sa.Column("added_by", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "account", name="pk_case_member"),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name="fk_case_member_case_id"),
        sa.ForeignKeyConstraint(["account"], ["account.name"], name="fk_case_member_account"),
    )
    op.create_index("ix_case_member_account", "case_member", ["account"])


def downgrade() -> None:
    for table in ("case_member", "case_file", "api_token", "account", "unit", "agency"):
        op.drop_table(table)
