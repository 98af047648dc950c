"""What partners deliver: their signed envelopes, one or a batch at a time.

A partner signs in with no account: the signature on its envelope, checked
against the key registered for it, is its credential (``nitka.exchange.receive``),
and the records of what it delivered name it (``partner:<agency>``). A refused
envelope leaves nothing behind but its refusal in the audit trail, naming the
field that failed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.audit import Action, AuditEvent, Outcome, append
from nitka.exchange.envelope import EnvelopeError
from nitka.exchange.keys import InstanceKeys
from nitka.exchange.receive import Accepted, accept, accept_batch, id_of, sender_of
from nitka.exchange.workflow import PARTNER_PREFIX
from nitka.services.guard import DeclinedError
from nitka.settings import Settings

UNPROVEN = frozenset({"signature", "sender"})
"""Fields whose failure means the sender is not who it says (HTTP 401)."""


class EnvelopeRefusedError(DeclinedError):
    """An envelope refused; the refusal is already in the audit trail."""

    def __init__(self, error: EnvelopeError) -> None:
        super().__init__(str(error), field=error.field)
        self.status = 401 if error.field in UNPROVEN else 400


def receive(
    conn: Connection, origin: str, envelope: Any, keys: InstanceKeys, settings: Settings
) -> dict[str, Any]:
    """Take in one envelope (exactly once); returns our signed receipt."""
    try:
        accepted = accept(conn, envelope, keys, settings)
    except EnvelopeError as error:
        # accept checks everything before its first write: nothing to undo.
        _record_refusal(conn, origin, envelope, error)
        raise EnvelopeRefusedError(error) from None
    _record_delivery(conn, origin, accepted)
    return accepted.receipt


def receive_batch(
    conn: Connection, origin: str, envelopes: list[Any], keys: InstanceKeys, settings: Settings
) -> list[dict[str, Any]]:
    """Take in several envelopes in one transaction: a receipt or a refusal (on
    record) for each, in order."""
    answers: list[dict[str, Any]] = []
    for envelope, outcome in zip(
        envelopes, accept_batch(conn, envelopes, keys, settings), strict=True
    ):
        if isinstance(outcome, EnvelopeError):
            _record_refusal(conn, origin, envelope, outcome)
            refused = {"field": outcome.field, "error": str(outcome)}
            answers.append({"id": id_of(envelope), "refused": refused})
        else:
            _record_delivery(conn, origin, outcome)
            answers.append({"id": outcome.message_id, "receipt": outcome.receipt})
    return answers


def _record_delivery(conn: Connection, origin: str, accepted: Accepted) -> None:
    """A message taken in, under the partner's name; a repeat of one taken in
    before changes nothing and is not recorded again."""
    if accepted.duplicate:
        return
    subject = {
        "message received": accepted.message_id,
        "kind": accepted.kind,
        "from": accepted.sender,
    }
    event = AuditEvent(
        actor=f"{PARTNER_PREFIX}{accepted.sender}",
        action=Action.CHANGE,
        origin=origin,
        subject=subject,
        entities=list(accepted.entities),
        result_size=accepted.statements,
    )
    append(conn, event)


def _record_refusal(conn: Connection, origin: str, envelope: Any, error: EnvelopeError) -> None:
    sender = sender_of(envelope)
    event = AuditEvent(
        actor=f"{PARTNER_PREFIX}{sender}" if sender else "-",
        action=Action.CHANGE,
        origin=origin,
        subject={"inbox": "refused", "field": error.field, "error": str(error)[:500]},
        outcome=Outcome.REFUSED,
    )
    append(conn, event)
