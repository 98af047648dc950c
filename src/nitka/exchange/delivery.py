"""The outbox: deliver each sent message until the receiver acknowledges it.

A message stays in the outbox until the receiver's signed receipt comes
back. A failed try (the partner down, a timeout, a refusal) is retried with
exponential back-off, up to ``MAX_BACKOFF`` seconds between tries. Rows are
claimed before a try, so that several server processes never send the same
message at once; if one dies mid-try, its claim runs out and another takes
the message up. A message delivered twice is taken in once: the receiver
acknowledges a message id it has seen without applying it again.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import httpx
from sqlalchemy import Engine, select, update

from nitka.exchange.envelope import EnvelopeError, check_receipt
from nitka.exchange.kinds import Status
from nitka.exchange.messages import add_event, envelope_of, now_iso
from nitka.exchange.partners import find_partner
from nitka.store.tables import message, outbox

INBOX_PATH = "/exchange/inbox"
CLAIM_SECONDS = 30.0
MAX_BACKOFF = 30.0
BATCH = 200
TIMEOUT_SECONDS = 10.0


@dataclass
class Round:
    delivered: int = 0
    failed: int = 0

    @property
    def tried(self) -> int:
        return self.delivered + self.failed


def backoff(attempts: int) -> float:
    """Seconds before the next try: 0.5, 1, 2, 4 ... up to MAX_BACKOFF, with jitter."""
    base: float = min(MAX_BACKOFF, 0.5 * 2.0 ** max(attempts - 1, 0))
    return base * random.uniform(0.8, 1.2)


def deliver_due(engine: Engine, client: httpx.Client, *, now: float | None = None) -> Round:
    """One round: try every message that is due, once."""
    done = Round()
    for message_id in _claim_due(engine, time.time() if now is None else now):
        if _deliver(engine, client, message_id):
            done.delivered += 1
        else:
            done.failed += 1
    return done


def pending(engine: Engine) -> int:
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.message_id).where(outbox.c.delivered_at.is_(None)))
        return len(rows.all())


def _claim_due(engine: Engine, now: float) -> list[str]:
    with engine.begin() as conn:
        due = conn.execute(
            select(outbox.c.message_id)
            .where(
                outbox.c.delivered_at.is_(None),
                outbox.c.next_attempt <= now,
                outbox.c.claimed_until < now,
            )
            .order_by(outbox.c.next_attempt)
            .limit(BATCH)
        ).scalars()
        claimed = []
        for message_id in list(due):
            taken = conn.execute(
                update(outbox)
                .where(outbox.c.message_id == message_id, outbox.c.claimed_until < now)
                .values(claimed_until=now + CLAIM_SECONDS)
            )
            if taken.rowcount:
                claimed.append(message_id)
    return claimed


def _deliver(engine: Engine, client: httpx.Client, message_id: str) -> bool:
    with engine.connect() as conn:
        envelope = envelope_of(conn, message_id)
        receiver = conn.execute(
            select(message.c.receiver).where(message.c.id == message_id)
        ).scalar_one()
        partner = find_partner(conn, receiver)
    error = ""
    if envelope is None or partner is None:
        error = "no envelope or no partner"
    else:
        try:
            url = partner.address + INBOX_PATH
            answer = client.post(url, json=envelope, timeout=TIMEOUT_SECONDS)
            if answer.status_code == 200:
                check_receipt(answer.json(), partner.signing_key, message_id, receiver)
            else:
                error = f"HTTP {answer.status_code}: {answer.text[:200]}"
        except (httpx.HTTPError, ValueError, EnvelopeError) as failed:
            error = f"{type(failed).__name__}: {failed}"
    with engine.begin() as conn:
        if error:
            attempts = conn.execute(
                select(outbox.c.attempts).where(outbox.c.message_id == message_id)
            ).scalar_one()
            conn.execute(
                update(outbox)
                .where(outbox.c.message_id == message_id)
                .values(
                    attempts=attempts + 1,
                    next_attempt=time.time() + backoff(attempts + 1),
                    claimed_until=0.0,
                    last_error=error[:1000],
                )
            )
            return False
        delivered_at = now_iso()
        conn.execute(
            update(outbox)
            .where(outbox.c.message_id == message_id)
            .values(delivered_at=delivered_at, claimed_until=0.0, last_error=None)
        )
        conn.execute(
            update(message)
            .where(message.c.id == message_id, message.c.status == Status.SENT.value)
            .values(status=Status.DELIVERED.value)
        )
        add_event(conn, message_id, "exchange", "delivered", delivered_at)
    return True
