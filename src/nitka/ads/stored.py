"""A trained model kept in a file of Nitka's own, so that a process does not train it again.

The file is written only by Nitka (``keep``) and read back only when it is
whole and made for the same key (the caller's hash of the training data and
the code): anything else (a missing, cut, corrupt or foreign file, or one made
for other data or code, or one that cannot be unpickled with the installed
libraries) reads as no model, and the caller trains and writes it again.
Reading never fails.

Layout: a header line, the key, the SHA-256 of the payload, then the payload
(a pickle). The checksum is checked before anything is unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Final, TypeVar

T = TypeVar("T")

HEADER: Final = b"nitka-stored-model 1\n"


def read(path: Path, key: str, kind: type[T]) -> T | None:
    """The object kept at ``path`` for ``key``, or None if there is none to trust."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(HEADER):
        return None
    parts = data[len(HEADER) :].split(b"\n", 2)
    if len(parts) != 3 or parts[0] != key.encode():
        return None
    payload = parts[2]
    if hashlib.sha256(payload).hexdigest().encode() != parts[1]:
        return None
    try:
        found = pickle.loads(payload)  # a file Nitka wrote, checked above
    except Exception:  # a pickle of other library versions fails in many ways
        return None
    return found if isinstance(found, kind) else None


def write(path: Path, key: str, value: object) -> None:
    """Keep ``value`` at ``path`` for ``key``, whole or not at all (a file written
    beside it, then renamed over it)."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.sha256(payload).hexdigest().encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(b"".join((HEADER, key.encode(), b"\n", digest, b"\n", payload)))
        partial.replace(path)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def kept(path: Path, key: str, kind: type[T], make: Callable[[], T]) -> T:
    """The object kept at ``path`` for ``key``; else ``make()``'s, kept there for the
    next process (where the file cannot be written, it is only made)."""
    found = read(path, key, kind)
    if found is not None:
        return found
    made = make()
    with contextlib.suppress(OSError):  # a read-only cache folder still gets its model
        write(path, key, made)
    return made
