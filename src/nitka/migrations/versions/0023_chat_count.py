"""The chatbot's counts in a table of their own: ``chat_count``.

One row per day, channel (``web``, ``telegram``), language and what was counted
(an event such as ``offer`` or ``risky``, or ``ind:CODE``), with the count. The
counts kept so far as ``store_setting`` keys ``chat:DAY:LANG:WHAT`` move into it
under the channel ``unknown`` (they did not tell web and Telegram apart); a key
that does not read as a count stays where it was.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

PREFIX = "chat:"
UNKNOWN = "unknown"

_setting = sa.table(
    "store_setting",
    sa.column("key", sa.String),
    sa.column("value", sa.Text),
    sa.column("changed_by", sa.String),
    sa.column("changed_at", sa.DateTime),
)
_count = sa.table(
    "chat_count",
    sa.column("day", sa.Date),
    sa.column("channel", sa.String),
    sa.column("lang", sa.String),
    sa.column("what", sa.String),
    sa.column("n", sa.BigInteger),
)


def upgrade() -> None:
    op.create_table(
        "chat_count",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("what", sa.String(64), nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("day", "channel", "lang", "what", name="pk_chat_count"),
    )
    bind = op.get_bind()
    found = bind.execute(
        sa.select(_setting.c.key, _setting.c.value).where(_setting.c.key.like(f"{PREFIX}%"))
    )
    moved: dict[tuple[date, str, str], int] = {}
    keys = []
    for key, value in found:
        parsed = _parsed(key, value)
        if parsed is not None:
            day, lang, what, n = parsed
            moved[day, lang, what] = moved.get((day, lang, what), 0) + n
            keys.append(key)
    if moved:
        rows = [{"day": d, "channel": UNKNOWN, "lang": lang, "what": what, "n": n}
                for (d, lang, what), n in sorted(moved.items())]  # fmt: skip
        bind.execute(sa.insert(_count), rows)
        bind.execute(sa.delete(_setting).where(_setting.c.key.in_(keys)))


def downgrade() -> None:
    bind = op.get_bind()
    totals = bind.execute(
        sa.select(_count.c.day, _count.c.lang, _count.c.what, sa.func.sum(_count.c.n))
        .group_by(_count.c.day, _count.c.lang, _count.c.what)
    ).all()  # fmt: skip
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [{"key": f"{PREFIX}{d.isoformat()}:{lang}:{what}", "value": str(int(n)),
             "changed_by": "chatbot", "changed_at": now}
            for d, lang, what, n in totals]  # fmt: skip
    if rows:
        bind.execute(sa.delete(_setting).where(_setting.c.key.in_([r["key"] for r in rows])))
        bind.execute(sa.insert(_setting), rows)
    op.drop_table("chat_count")


def _parsed(key: str, value: str) -> tuple[date, str, str, int] | None:
    """(day, language, what, count) of a ``chat:DAY:LANG:WHAT`` key, or None."""
    parts = key[len(PREFIX) :].split(":", 2)
    if len(parts) != 3 or not parts[1] or not parts[2] or len(parts[1]) > 16:
        return None
    try:
        return date.fromisoformat(parts[0]), parts[1], parts[2], int(value)
    except ValueError:
        return None
