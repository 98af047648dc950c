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

from nitka.exchange.envelope import EnvelopeError
from nitka.exchange.keys import InstanceKeys
from nitka.exchange.receive import accept, accept_batch, record_refusal
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
        return accept(conn, envelope, keys, settings).receipt
    except EnvelopeError as error:
        # accept checks everything before its first write: nothing to undo.
        record_refusal(conn, envelope, error, origin)
        raise EnvelopeRefusedError(error) from None


def receive_batch(
    conn: Connection, origin: str, envelopes: list[Any], keys: InstanceKeys, settings: Settings
) -> list[dict[str, Any]]:
    """Take in several envelopes in one transaction: a receipt or a refusal (on
    record) for each, in order."""
    return accept_batch(conn, envelopes, keys, settings, origin)
