"""What a server and its copies send each other: signed JSON pages.

Every page is JSON (orjson) signed as sent with the server's Ed25519 key
(``nitka.exchange.keys``); the signature travels in ``X-Nitka-Signature``.
A page names the account and the lists it was made for and where in the
stream it starts, so that a page cannot be moved to another copy or another
place in the stream without the copy noticing. Statements travel in the
shape the copy writes them (``nitka.offline.shape``): rows of the statement
table grouped by the columns they leave empty, and the entities' search rows
made by the server.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from nitka.errors import FieldError
from nitka.exchange.keys import verify
from nitka.store.tables import statement

SIGNATURE_HEADER = "X-Nitka-Signature"
COLUMNS = tuple(column.name for column in statement.columns)
"""A statement row as a page carries it: these columns, in this order."""
CANONICAL = COLUMNS.index("canonical_id")
DATASET = COLUMNS.index("dataset")
CASE = COLUMNS.index("case_id")
CATEGORY = COLUMNS.index("category")
PAGE_ENTRIES = 10_000
"""Entries per page of a pull: about 10 MB of JSON."""
PAGE_CHANGES = 1000
"""Change records per page of a sync (``nitka.store.outbox.READ_LIMIT``)."""


class OfflineError(FieldError):
    """A copy that cannot be made or brought up to date: named by the field at fault."""


def fingerprint(public_hex: str) -> str:
    """A key's fingerprint as the officer compares it by eye: SHA-256, 16 hex pairs."""
    digest = hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:32]
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def encode(page: dict[str, Any]) -> bytes:
    return orjson.dumps(page)


def verified(body: bytes, signature: str, public_hex: str, **expected: Any) -> dict[str, Any]:
    """The page, if the server's key signed it and it is the page asked for
    (``expected``: its kind, account, lists, position); refused otherwise."""
    try:
        raw = bytes.fromhex(signature)
    except ValueError:
        raw = b""
    if not raw or not verify(public_hex, body, raw):
        raise OfflineError(
            "a page does not carry the server's signature: changed on the way, or not "
            "from the server this copy was pulled from; nothing of it was applied",
            field="signature",
        )
    page: dict[str, Any] = orjson.loads(body)
    for field, value in expected.items():
        if page.get(field) != value:
            raise OfflineError(
                f"a signed page for {field} {page.get(field)!r}, not {value!r}: "
                "not the page asked for; nothing of it was applied",
                field=field,
            )
    return page
