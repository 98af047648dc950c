"""Messages on the wire: signed envelopes and signed receipts.

An envelope carries a message's id, its sender and receiver agencies, when
it was sent, and its body: JSON, in base64, or sealed to the receiver's
encryption key. The sender signs all of that (Ed25519, over the envelope's
fields in sorted-key JSON without the signature). The receiver checks the
signature against the key it registered for the sender, checks that the
envelope is addressed to it, opens the body, and answers with a receipt it
signs in turn: the sender's proof of delivery.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import orjson

from nitka.errors import FieldError
from nitka.exchange.keys import ExchangeKeyError, InstanceKeys, Sealed, seal, verify

VERSION = 1
MAX_BODY_BYTES = 4 * 1024 * 1024


class EnvelopeError(FieldError):
    """An envelope or receipt that is refused; names the field that failed."""


@dataclass(frozen=True)
class Opened:
    id: str
    sender: str
    receiver: str
    sent_at: str
    body: dict[str, Any]


def wrap(
    keys: InstanceKeys,
    *,
    message_id: str,
    sender: str,
    receiver: str,
    sent_at: str,
    body: dict[str, Any],
    seal_to: str | None = None,
) -> dict[str, Any]:
    """The signed envelope of a message; sealed when the receiver's key is given."""
    plain = orjson.dumps(body)
    wire: dict[str, Any] = {
        "version": VERSION,
        "id": message_id,
        "sender": sender,
        "receiver": receiver,
        "sent_at": sent_at,
    }
    if seal_to:
        sealed = seal(seal_to, plain, message_id.encode("utf-8"))
        wire["sealed"] = {
            "ephemeral": _b64(sealed.ephemeral),
            "nonce": _b64(sealed.nonce),
            "ciphertext": _b64(sealed.ciphertext),
        }
    else:
        wire["body"] = _b64(plain)
    wire["signature"] = _b64(keys.sign(_signed_bytes(wire)))
    return wire


def header(wire: Any) -> tuple[str, str, str]:
    """The id, sender and receiver of an envelope, checked for shape only."""
    if not isinstance(wire, dict):
        raise EnvelopeError("an envelope is a JSON object", field=".")
    for field in ("id", "sender", "receiver", "sent_at", "signature"):
        value = wire.get(field)
        if not isinstance(value, str) or not value or len(value) > 255:
            raise EnvelopeError(f"the envelope's {field} is missing or malformed", field=field)
    if wire.get("version") != VERSION:
        raise EnvelopeError(
            f"envelope version {wire.get('version')!r} is not {VERSION}", field="version"
        )
    return wire["id"], wire["sender"], wire["receiver"]


def unwrap(wire: Any, sender_key: str, keys: InstanceKeys, us: str) -> Opened:
    """Check an envelope's signature and address and open its body."""
    message_id, sender, receiver = header(wire)
    if receiver != us:
        raise EnvelopeError(f"the envelope is for {receiver!r}, not us ({us!r})", field="receiver")
    try:
        signature = base64.b64decode(wire["signature"], validate=True)
    except ValueError:
        raise EnvelopeError("the signature is not base64", field="signature") from None
    if not verify(sender_key, _signed_bytes(wire), signature):
        raise EnvelopeError(
            f"the signature does not check out with {sender!r}'s registered key", field="signature"
        )
    plain = _body_bytes(wire, keys, message_id)
    if len(plain) > MAX_BODY_BYTES:
        raise EnvelopeError("the body is too large", field="body")
    try:
        body = orjson.loads(plain)
    except orjson.JSONDecodeError:
        raise EnvelopeError("the body is not JSON", field="body") from None
    if not isinstance(body, dict):
        raise EnvelopeError("the body is not a JSON object", field="body")
    return Opened(message_id, sender, receiver, wire["sent_at"], body)


def receipt(
    keys: InstanceKeys, message_id: str, receiver: str, received_at: str, duplicate: bool
) -> dict[str, Any]:
    """The receiver's signed acknowledgement of a message."""
    wire: dict[str, Any] = {
        "message": message_id,
        "receiver": receiver,
        "received_at": received_at,
        "duplicate": duplicate,
    }
    wire["signature"] = _b64(keys.sign(_signed_bytes(wire)))
    return wire


def check_receipt(wire: Any, receiver_key: str, message_id: str, receiver: str) -> None:
    """Refuse a receipt that is not the receiver's, for this message."""
    if not isinstance(wire, dict) or wire.get("message") != message_id:
        raise EnvelopeError("the receipt is not for this message", field="message")
    if wire.get("receiver") != receiver:
        raise EnvelopeError("the receipt is not from the receiver", field="receiver")
    try:
        signature = base64.b64decode(str(wire.get("signature", "")), validate=True)
    except ValueError:
        raise EnvelopeError("the receipt's signature is not base64", field="signature") from None
    if not verify(receiver_key, _signed_bytes(wire), signature):
        raise EnvelopeError("the receipt's signature does not check out", field="signature")


def _body_bytes(wire: dict[str, Any], keys: InstanceKeys, message_id: str) -> bytes:
    try:
        if "sealed" in wire:
            sealed = wire["sealed"]
            return keys.open(
                Sealed(
                    base64.b64decode(sealed["ephemeral"], validate=True),
                    base64.b64decode(sealed["nonce"], validate=True),
                    base64.b64decode(sealed["ciphertext"], validate=True),
                ),
                message_id.encode("utf-8"),
            )
        return base64.b64decode(str(wire.get("body", "")), validate=True)
    except (ValueError, KeyError, TypeError):
        raise EnvelopeError("the body is malformed", field="body") from None
    except ExchangeKeyError as error:
        raise EnvelopeError(str(error), field="body") from None


def _signed_bytes(wire: dict[str, Any]) -> bytes:
    return orjson.dumps(
        {k: v for k, v in wire.items() if k != "signature"}, option=orjson.OPT_SORT_KEYS
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
