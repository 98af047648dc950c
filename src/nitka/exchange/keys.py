"""This instance's key pairs, and signing, verifying, sealing and opening with them.

Each instance has an Ed25519 key pair to sign what it sends, and an X25519
key pair that partners encrypt to. Partners are registered by the public
halves (hex). The private halves live in two PEM files in ``keys_dir``,
readable by the owner only; ``nitka exchange keys`` makes them.

Sealing (encryption to a receiver) is ECIES in its common modern form: an
ephemeral X25519 key agreed with the receiver's key, HKDF-SHA256, and
ChaCha20-Poly1305 with the message id as associated data, so a sealed body
cannot be moved into another message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from nitka.errors import FieldError

SIGNING_FILE = "signing.pem"
ENCRYPTION_FILE = "encryption.pem"
_INFO = b"nitka exchange v1"


class ExchangeKeyError(FieldError):
    """A key that is missing, malformed, or does not open what it should."""


@dataclass(frozen=True)
class InstanceKeys:
    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey

    @property
    def signing_public(self) -> str:
        return _raw_public(self.signing.public_key()).hex()

    @property
    def encryption_public(self) -> str:
        return _raw_public(self.encryption.public_key()).hex()

    def sign(self, data: bytes) -> bytes:
        return self.signing.sign(data)

    def open(self, sealed: Sealed, associated: bytes) -> bytes:
        """Decrypt a body sealed to this instance; refuses one changed on the way."""
        shared = self.encryption.exchange(X25519PublicKey.from_public_bytes(sealed.ephemeral))
        key = _derive(shared, sealed.ephemeral, _raw_public(self.encryption.public_key()))
        try:
            return ChaCha20Poly1305(key).decrypt(sealed.nonce, sealed.ciphertext, associated)
        except InvalidTag:
            message = "the sealed body does not open: changed on the way, or not for us"
            raise ExchangeKeyError(message, field="body") from None


@dataclass(frozen=True)
class Sealed:
    ephemeral: bytes
    nonce: bytes
    ciphertext: bytes


def load_or_create(directory: Path) -> InstanceKeys:
    """The instance's keys from ``directory``, made there the first time."""
    directory.mkdir(parents=True, exist_ok=True)
    signing_path, encryption_path = directory / SIGNING_FILE, directory / ENCRYPTION_FILE
    if not signing_path.exists():
        _write_private(signing_path, Ed25519PrivateKey.generate())
    if not encryption_path.exists():
        _write_private(encryption_path, X25519PrivateKey.generate())
    signing = serialization.load_pem_private_key(signing_path.read_bytes(), password=None)
    encryption = serialization.load_pem_private_key(encryption_path.read_bytes(), password=None)
    if not isinstance(signing, Ed25519PrivateKey) or not isinstance(encryption, X25519PrivateKey):
        raise ExchangeKeyError(
            f"{directory}: not Nitka's Ed25519 and X25519 keys", field="keys_dir"
        )
    return InstanceKeys(signing, encryption)


def verify(public_hex: str, data: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is the holder of ``public_hex``'s signature of ``data``."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def seal(receiver_hex: str, plaintext: bytes, associated: bytes) -> Sealed:
    """Encrypt to the receiver's X25519 key."""
    receiver = X25519PublicKey.from_public_bytes(bytes.fromhex(receiver_hex))
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    key = _derive(ephemeral.exchange(receiver), ephemeral_public, _raw_public(receiver))
    nonce = os.urandom(12)
    return Sealed(
        ephemeral_public, nonce, ChaCha20Poly1305(key).encrypt(nonce, plaintext, associated)
    )


def check_public_key(value: str, field: str) -> str:
    """A public key as partners give it: 32 bytes in hex."""
    value = value.strip().lower()
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ExchangeKeyError(
            f"a public key is 64 hexadecimal characters, not {value[:20]!r}", field=field
        )
    return value


def _derive(shared: bytes, ephemeral_public: bytes, receiver_public: bytes) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + receiver_public, info=_INFO
    )
    return hkdf.derive(shared)


def _raw_public(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _write_private(path: Path, key: Ed25519PrivateKey | X25519PrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as fh:
        fh.write(pem)
