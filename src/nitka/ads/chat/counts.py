"""The only thing the chatbot writes: counts by day, channel, language and event
or indicator, never a chat id, a name or a word of a conversation.

Replies are counted in memory (``Counts.add``) and written now and then
(``Counts.flush``: at most once a ``every`` seconds, and when the bot stops), so
that answering a person never waits for the store. The counts live in the
store's ``chat_count`` table (migration 0023), one row per day, channel
(``web``, ``telegram``), language and what: an event (``offer``, ``questions``,
``risky``, ``benign``, ``unread``, ``failed``, ``start``, ``help``, ``hotlines``,
``limited``) or ``ind:CODE``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final, Literal, get_args

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from nitka.ads.chat.dialogue import Tally
from nitka.store.db import dialect_insert
from nitka.store.tables import chat_count

Channel = Literal["web", "telegram"]
CHANNELS: Final[tuple[str, ...]] = get_args(Channel)

Key = tuple[date, str, str, str]
"""(day, channel, language, what): ``chat_count``'s primary key."""


@dataclass(frozen=True, slots=True)
class Count:
    day: str
    """ISO 8601."""
    channel: str
    """``web``, ``telegram``, or ``unknown`` (counted before migration 0023)."""
    lang: str
    what: str
    n: int


def keys_of(tally: Tally, day: date, channel: Channel) -> list[Key]:
    found: list[Key] = [(day, channel, tally.lang, event) for event in tally.events]
    found += [(day, channel, tally.lang, f"ind:{code}") for code in tally.indicators]
    return found


class Counts:
    """Counts waiting to be written; safe to share between threads."""

    def __init__(
        self,
        engine: Engine | None,
        *,
        channel: Channel = "telegram",
        every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.channel: Channel = channel
        """Where the counted chats took place: the web page or the Telegram bot."""
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
            self._waiting.update(keys_of(tally, today, self.channel))

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
    database (``n = n + excluded.n``, on SQLite and PostgreSQL alike), so that
    processes counting at once lose nothing."""
    rows = [{"day": day, "channel": channel, "lang": lang[:16], "what": what[:64], "n": n}
            for (day, channel, lang, what), n in sorted(counts.items())]  # fmt: skip
    if not rows:
        return
    insert = dialect_insert(conn, chat_count)
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=["day", "channel", "lang", "what"],
            set_={"n": chat_count.c.n + insert.excluded.n},
        ),
        rows,
    )


def read_counts(conn: Connection, since: str | None = None) -> list[Count]:
    """Every count written (from day ``since`` on, ISO 8601), by day, channel, language
    and what. A ``since`` that is not a day is a ``ValueError``."""
    query = select(chat_count).order_by(
        chat_count.c.day, chat_count.c.channel, chat_count.c.lang, chat_count.c.what
    )
    if since is not None:
        query = query.where(chat_count.c.day >= date.fromisoformat(since))
    return [Count(row.day.isoformat(), row.channel, row.lang, row.what, int(row.n))
            for row in conn.execute(query)]  # fmt: skip
