"""Settings an administrator changes in the store (``store_setting``), with who and when.

Deployment settings (``nitka.settings``) say how Nitka runs; these say how a
team works with its data (the least probability at which a batch of linked
pairs may be accepted at once), and are changed through a service that checks
the administrator's role and writes the audit record.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from nitka.store.tables import store_setting


def get_preference(conn: Connection, key: str) -> str | None:
    found = conn.execute(select(store_setting.c.value).where(store_setting.c.key == key))
    return found.scalar_one_or_none()


def set_preference(conn: Connection, key: str, value: str, user: str) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    changed = conn.execute(
        update(store_setting)
        .where(store_setting.c.key == key)
        .values(value=value, changed_by=user, changed_at=now)
    )
    if changed.rowcount == 0:
        conn.execute(
            store_setting.insert().values(key=key, value=value, changed_by=user, changed_at=now)
        )
