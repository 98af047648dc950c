"""The outbox: deliver each sent message until the receiver acknowledges it.

Messages go to each receiver in batches (``/exchange/inbox/batch``: one
transaction there and one here per batch). A message stays in the outbox
until the receiver's signed receipt for it comes back. A failed try (the
partner down, a timeout, a refusal) is retried with exponential back-off,
up to ``MAX_BACKOFF`` seconds between tries. Rows are claimed before a try,
so that several server processes never send the same message at once; if
one dies mid-try, its claim runs out and another takes the message up. A
message delivered twice is taken in once: the receiver acknowledges a
message id it has seen without applying it again.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import Engine, func, select, update

from nitka.access.audit import Action, AuditEvent, append
from nitka.exchange.envelope import EnvelopeError, check_receipt
from nitka.exchange.kinds import Status
from nitka.exchange.messages import add_event, envelope_of, now_iso
from nitka.exchange.partners import find_partner
from nitka.store.tables import message, outbox

INBOX_PATH = "/exchange/inbox"
BATCH_PATH = "/exchange/inbox/batch"
CLAIM_SECONDS = 60.0
CLAIM_AT_ONCE = 2000
MAX_BATCH = 200
"""Envelopes per delivery: one transaction at the receiver, one here."""
MAX_BACKOFF = 30.0
TIMEOUT_SECONDS = 30.0


@dataclass
class Round:
    delivered: int = 0
    failed: int = 0

    @property
    def tried(self) -> int:
        return self.delivered + self.failed


def backoff(attempts: int) -> float:
    """Seconds before the next try: 0.2, 0.3, 0.45 ... (x1.5) up to MAX_BACKOFF, with
    jitter. A partner restarting is back within seconds; one down for a day is
    tried twice a minute."""
    base: float = min(MAX_BACKOFF, 0.2 * 1.5 ** max(attempts - 1, 0))
    return base * random.uniform(0.8, 1.2)


def deliver_due(engine: Engine, client: httpx.Client, *, now: float | None = None) -> Round:
    """One round: try every message that is due, once, in batches per receiver."""
    done = Round()
    claimed = _claim_due(engine, time.time() if now is None else now)
    for receiver, message_ids in _by_receiver(engine, claimed).items():
        for start in range(0, len(message_ids), MAX_BATCH):
            delivered, failed = _deliver(
                engine, client, receiver, message_ids[start : start + MAX_BATCH]
            )
            done.delivered += delivered
            done.failed += failed
    return done


def pending(engine: Engine) -> int:
    """Messages in the outbox not yet acknowledged."""
    with engine.connect() as conn:
        count = conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
        ).scalar_one()
    return int(count)


def _claim_due(engine: Engine, now: float) -> list[str]:
    """Take the due messages for this process: no other process tries them meanwhile."""
    with engine.begin() as conn:
        due = list(
            conn.execute(
                select(outbox.c.message_id)
                .where(
                    outbox.c.delivered_at.is_(None),
                    outbox.c.next_attempt <= now,
                    outbox.c.claimed_until < now,
                )
                .order_by(outbox.c.next_attempt)
                .limit(CLAIM_AT_ONCE)
            ).scalars()
        )
        claimed: list[str] = []
        for start in range(0, len(due), 500):
            chunk = due[start : start + 500]
            conn.execute(
                update(outbox)
                .where(outbox.c.message_id.in_(chunk), outbox.c.claimed_until < now)
                .values(claimed_until=now + CLAIM_SECONDS)
            )
            claimed += conn.execute(
                select(outbox.c.message_id).where(
                    outbox.c.message_id.in_(chunk), outbox.c.claimed_until == now + CLAIM_SECONDS
                )
            ).scalars()
    return claimed


def _by_receiver(engine: Engine, message_ids: list[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for start in range(0, len(message_ids), 500):
            chunk = message_ids[start : start + 500]
            rows = conn.execute(
                select(message.c.id, message.c.receiver)
                .where(message.c.id.in_(chunk))
                .order_by(message.c.created_at)
            )
            for message_id, receiver in rows:
                grouped.setdefault(receiver, []).append(message_id)
    return grouped


def _deliver(
    engine: Engine, client: httpx.Client, receiver: str, message_ids: list[str]
) -> tuple[int, int]:
    """POST a batch of envelopes; mark each acknowledged one delivered, the rest to retry."""
    with engine.connect() as conn:
        partner = find_partner(conn, receiver)
        envelopes = {m: envelope_of(conn, m) for m in message_ids}
    receipts: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    if partner is None:
        errors = dict.fromkeys(message_ids, f"{receiver!r} is no longer a partner")
    else:
        try:
            answer = client.post(
                partner.address + BATCH_PATH,
                json={"envelopes": [envelopes[m] for m in message_ids]},
                timeout=TIMEOUT_SECONDS,
            )
            if answer.status_code != 200:
                raise EnvelopeError(f"HTTP {answer.status_code}: {answer.text[:200]}", field="http")
            for result in answer.json()["results"]:
                message_id = str(result.get("id"))
                if message_id not in envelopes:
                    continue
                if "receipt" in result:
                    try:
                        check_receipt(result["receipt"], partner.signing_key, message_id, receiver)
                        receipts[message_id] = result["receipt"]
                    except EnvelopeError as refused:
                        errors[message_id] = f"receipt: {refused}"
                else:
                    errors[message_id] = f"refused: {result.get('refused')}"
        except (httpx.HTTPError, ValueError, KeyError, TypeError, EnvelopeError) as failed:
            errors = dict.fromkeys(message_ids, f"{type(failed).__name__}: {failed}")
        for message_id in message_ids:
            if message_id not in receipts and message_id not in errors:
                errors[message_id] = "no answer for this message in the batch"
    _record(engine, receipts, errors)
    return len(receipts), len(errors)


def _record(engine: Engine, receipts: dict[str, Any], errors: dict[str, str]) -> None:
    now = time.time()
    delivered_at = now_iso()
    with engine.begin() as conn:
        for message_id, error in errors.items():
            attempts = conn.execute(
                select(outbox.c.attempts).where(outbox.c.message_id == message_id)
            ).scalar_one()
            conn.execute(
                update(outbox)
                .where(outbox.c.message_id == message_id)
                .values(
                    attempts=attempts + 1,
                    next_attempt=now + backoff(attempts + 1),
                    claimed_until=0.0,
                    last_error=error[:1000],
                )
            )
        delivered = list(receipts)
        for start in range(0, len(delivered), 500):
            chunk = delivered[start : start + 500]
            conn.execute(
                update(outbox)
                .where(outbox.c.message_id.in_(chunk))
                .values(delivered_at=delivered_at, claimed_until=0.0, last_error=None)
            )
            # The status moves on from "sent" only: an answer may have come first.
            conn.execute(
                update(message)
                .where(message.c.id.in_(chunk), message.c.status == Status.SENT.value)
                .values(status=Status.DELIVERED.value)
            )
        for message_id in delivered:
            add_event(conn, message_id, "exchange", "delivered", delivered_at)
        if delivered:
            event = AuditEvent(
                actor="exchange",
                action=Action.DISCLOSURE,
                origin="outbox",
                subject={"delivered": sorted(delivered)},
                result_size=len(delivered),
            )
            append(conn, event)
