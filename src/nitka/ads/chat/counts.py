"""The only thing the chatbot writes: counts by day, language and event or
indicator, never a chat id, a name or a word of a conversation.

Replies are counted in memory (``Counts.add``) and written now and then
(``Counts.flush``: at most once a ``every`` seconds, and when the bot stops), so
that answering a person never waits for the store. The counts live in the store's
``store_setting`` table under keys ``chat:DAY:LANG:WHAT`` (no migration);
``WHAT`` is an event (``offer``, ``questions``, ``risky``, ``benign``, ``unread``,
``failed``, ``start``, ``help``, ``hotlines``, ``limited``) or ``ind:CODE``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from sqlalchemy import BigInteger, Engine, Text, cast, select
from sqlalchemy.engine import Connection

from nitka.ads.chat.dialogue import Tally
from nitka.store.db import dialect_insert
from nitka.store.tables import store_setting

PREFIX: Final = "chat:"
WRITER: Final = "chatbot"
"""Who ``store_setting`` records as having changed a count."""

Key = tuple[str, str, str]
"""(day, language, what)."""


@dataclass(frozen=True, slots=True)
class Count:
    day: str
    lang: str
    what: str
    n: int


def keys_of(tally: Tally, day: date) -> list[Key]:
    stamp = day.isoformat()
    found = [(stamp, tally.lang, event) for event in tally.events]
    found += [(stamp, tally.lang, f"ind:{code}") for code in tally.indicators]
    return found


class Counts:
    """Counts waiting to be written; safe to share between threads."""

    def __init__(
        self,
        engine: Engine | None,
        *,
        every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.every = every
        self.clock = clock
        self._waiting: Counter[Key] = Counter()
        self._lock = threading.Lock()
        self._written_at = clock()

    def add(self, tally: Tally | None, day: date | None = None) -> None:
        if tally is None:
            return
        today = day or datetime.now(UTC).date()
        with self._lock:
            self._waiting.update(keys_of(tally, today))

    def due(self) -> bool:
        return bool(self._waiting) and self.clock() - self._written_at >= self.every

    def flush(self) -> int:
        """Write what is waiting (nothing without a store); the number of keys written.
        Counts that cannot be written are kept for the next time."""
        with self._lock:
            taken, self._waiting = self._waiting, Counter()
            self._written_at = self.clock()
        if not taken or self.engine is None:
            return 0
        try:
            with self.engine.begin() as conn:
                add_counts(conn, taken)
        except Exception:
            with self._lock:
                self._waiting.update(taken)
            raise
        return len(taken)

    def waiting(self) -> Counter[Key]:
        with self._lock:
            return Counter(self._waiting)


def add_counts(conn: Connection, counts: Counter[Key]) -> None:
    """Add counts in the caller's transaction: one upsert a key, adding in the
    database, so that processes counting at once lose nothing."""
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {
            "key": f"{PREFIX}{day}:{lang}:{what}",
            "value": str(n),
            "changed_by": WRITER,
            "changed_at": now,
        }
        for (day, lang, what), n in sorted(counts.items())
    ]
    insert = dialect_insert(conn, store_setting)
    total = cast(
        cast(store_setting.c.value, BigInteger) + cast(insert.excluded.value, BigInteger), Text
    )
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=["key"], set_={"value": total, "changed_at": insert.excluded.changed_at}
        ),
        rows,
    )


def read_counts(conn: Connection, since: str | None = None) -> list[Count]:
    """Every count written (from day ``since`` on, ISO 8601), by day, language and what."""
    query = select(store_setting.c.key, store_setting.c.value).where(
        store_setting.c.key.startswith(PREFIX, autoescape=True)
    )
    found = []
    for key, value in conn.execute(query):
        day, lang, what = key[len(PREFIX) :].split(":", 2)
        if since is None or day >= since:
            found.append(Count(day, lang, what, int(value)))
    return sorted(found, key=lambda c: (c.day, c.lang, c.what))
