"""What the chatbot keeps of a conversation while it lasts, in memory only: its
``Session`` (language and answers, no text) and its rate limit, under a key that
is not the chat's id.

A chat's id is turned into a key with a keyed hash whose key is made anew in
each process and never written anywhere, so that even the process's memory holds
no chat id once the message is answered. Both tables are bounded: the oldest
conversations are forgotten first, and an idle one after ``IDLE_SECONDS``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from nitka.ads.chat.dialogue import Session

IDLE_SECONDS: Final = 30 * 60
MAX_CHATS: Final = 100_000

_PROCESS_KEY = secrets.token_bytes(32)


def chat_key(chat_id: object) -> bytes:
    """The key a chat is remembered under (not reversible to its id)."""
    return hmac.new(_PROCESS_KEY, str(chat_id).encode(), hashlib.blake2s).digest()[:16]


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class RateLimit:
    """A token bucket per chat: ``burst`` messages at once, then one every
    ``1 / per_second`` seconds. The first message over the limit is answered (the
    person is told to wait); the ones after it until the bucket refills are not, so
    that the bot cannot be made to flood anyone."""

    def __init__(
        self,
        burst: int = 10,
        per_second: float = 1 / 6,
        *,
        max_chats: int = MAX_CHATS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self.max_chats = max_chats
        self.clock = clock
        self._buckets: OrderedDict[bytes, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: bytes) -> bool | None:
        """True: go on. False: over the limit, tell the person once. None: over the
        limit and told already, stay silent."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.pop(key, None) or _Bucket(float(self.burst), now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.per_second)
            bucket.at = now
            self._buckets[key] = bucket
            if len(self._buckets) > self.max_chats:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                bucket.warned = False
                return True
            if bucket.warned:
                return None
            bucket.warned = True
            return False


class Sessions:
    """The conversations' sessions by chat key, forgotten when idle or when too many."""

    def __init__(
        self,
        *,
        idle: float = IDLE_SECONDS,
        max_chats: int = MAX_CHATS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.idle = idle
        self.max_chats = max_chats
        self.clock = clock
        self._held: OrderedDict[bytes, tuple[Session, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> Session:
        with self._lock:
            found = self._held.get(key)
        if found is None or self.clock() - found[1] > self.idle:
            return Session()
        return found[0]

    def put(self, key: bytes, session: Session) -> None:
        with self._lock:
            self._held.pop(key, None)
            self._held[key] = (session, self.clock())
            while len(self._held) > self.max_chats:
                self._held.popitem(last=False)

    def __len__(self) -> int:
        return len(self._held)
