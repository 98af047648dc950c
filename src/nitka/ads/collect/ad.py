"""One collected ad, its content hash, and the FtM entity it becomes.

An ad is stored as a ``Message`` (FtM: "a message, post or similar"; a
``Document`` with the properties an ad's provenance needs): ``bodyText`` and
``title`` are what it says, ``sourceUrl`` and ``publishedAt`` where and when it
was published, ``retrievedAt`` when Nitka saw it, ``publisher`` and
``publisherUrl`` the feed, channel or site it came from, ``contentHash`` the hash
of its text, and the original record is kept as read: ``metadata`` (JSON: the
format and the record, a CSV row, a JSON line, a feed item's XML, a Telegram
message) and, for a saved web page, ``bodyHtml`` (the page itself).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from followthemoney import EntityProxy, model

from nitka.errors import RecordError
from nitka.ingest.base import entity_id
from nitka.ingest.notes import drop_value

SCHEMA = "Message"
"""The FtM schema of a collected ad."""
KIND = "ad"
"""The kind in an ad's entity id (``nitka.ingest.base.entity_id``)."""
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Ad:
    """An ad as a reader found it, before it is an entity."""

    text: str
    source: str
    """The format it was read from: csv, jsonl, feed, page or telegram."""
    original: object
    """The record as read (a dict, or the text of an XML item), kept with the ad."""
    title: str | None = None
    url: str | None = None
    """Where the ad was published (its own page or post)."""
    published: str | None = None
    """When it was published (ISO 8601), as the source says."""
    publisher: str | None = None
    """The feed, channel or site that published it (its name)."""
    publisher_url: str | None = None
    author: str | None = None
    message_id: str | None = None
    """The source's own id of the ad (a feed item's guid, a Telegram message id)."""
    html: str | None = None
    """A saved web page's HTML: the original of a page."""

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    @property
    def entity_id(self) -> str:
        return ad_id(self.content_hash)

    def entity(self, seen: str | None) -> EntityProxy:
        """The ad as an FtM entity; ``seen`` is when Nitka saw it (ISO 8601)."""
        proxy = model.make_entity(SCHEMA)
        proxy.id = self.entity_id
        proxy.add("bodyText", self.text)
        proxy.add("contentHash", self.content_hash)
        proxy.add("metadata", orjson.dumps({"format": self.source, "record": self.original},
                                           default=str).decode())  # fmt: skip
        for prop, value in (
            ("title", self.title),
            ("sourceUrl", self.url),
            ("publishedAt", self.published),
            ("retrievedAt", seen),
            ("publisher", self.publisher),
            ("publisherUrl", self.publisher_url),
            ("author", self.author),
            ("messageId", self.message_id),
            ("bodyHtml", self.html),
        ):
            if value:
                proxy.add(prop, value)
        return proxy


def content_hash(text: str) -> str:
    """SHA-1 (as FtM's ``contentHash``) of the ad's text, in Unicode NFC with runs of
    white space made one space: the same ad copied into another source, or
    collected again, has the same hash and so is the same entity."""
    normal = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()


def ad_id(digest: str) -> str:
    """The entity id of the ad whose text has this hash (the same in every dataset)."""
    return entity_id(KIND, "ads", digest)


def clean_text(value: object, field: str) -> str:
    """A text field's value, stripped; bad characters (a file not in UTF-8) named."""
    if not isinstance(value, str):
        raise RecordError(f"expected text, got {type(value).__name__}", field=field)
    text = value.strip()
    if any(0xDC80 <= ord(ch) <= 0xDCFF for ch in text):
        raise RecordError("not UTF-8 text", field=field)
    return text


def optional_text(value: object, field: str) -> str | None:
    if value is None or value == "":
        return None
    return clean_text(value, field) or None


def published_at(value: object, field: str = "published") -> str | None:
    """A publication time as ISO 8601 (seconds, UTC when a zone is given), from ISO
    text or a Unix time. Anything else is left out of the ad with a note naming the
    field (``ingest.notes``): an ad is not lost to a date written ``yesterday``."""
    if value is None or value == "":
        return None
    text = str(value) if isinstance(value, int | float) else clean_text(value, field)
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _iso(datetime.fromtimestamp(value, UTC))
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            if text.isdigit():
                return _iso(datetime.fromtimestamp(int(text), UTC))
            raise
    except (ValueError, OverflowError, OSError):
        drop_value(field, text, f"cannot read {text!r} as a date and time (ISO 8601)")
        return None
    return _iso(parsed.astimezone(UTC) if parsed.tzinfo else parsed)


def _iso(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def require_text(text: str | None, title: str | None, field: str) -> str:
    """The ad's text: its body, or its title when it has none; an ad with neither is
    a bad record."""
    if text:
        return text
    if title:
        return title
    raise RecordError("the ad has no text", field=field)
