"""How many sign-in attempts a client address made in the last minute.

Counted in the store, not in memory, so that the limit holds for every
worker process of ``nitka serve`` together: with memory counts an attacker
would get the limit once per worker.
"""

from __future__ import annotations

import time

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from nitka.store.tables import sign_in_attempt

WINDOW_SECONDS = 60.0


def attempts_in_window(conn: Connection, address: str, *, now: float | None = None) -> int:
    """Record one attempt from the address; return the attempts in the window, this one
    included. Attempts older than the window are removed as it goes."""
    now = time.time() if now is None else now
    since = now - WINDOW_SECONDS
    conn.execute(delete(sign_in_attempt).where(sign_in_attempt.c.at < since))
    conn.execute(insert(sign_in_attempt).values(address=address, at=now))
    count = conn.execute(
        select(func.count())
        .select_from(sign_in_attempt)
        .where(sign_in_attempt.c.address == address, sign_in_attempt.c.at >= since)
    ).scalar_one()
    return int(count)
