"""Ads from a Telegram Desktop channel export (``result.json``), one ad a message.

The export holds the channel's ``name``, ``type`` and ``id`` and its
``messages``. A message's ``text`` is either a string or a list of parts, each a
string or an entity ``{"type": "phone" | "link" | "bold" | ..., "text": ...}``;
the ad's text is the parts joined. ``date_unixtime`` (UTC) is preferred to
``date`` (the exporting computer's local time). Service messages (a channel
created, a pinned message) and messages with no text (a photo alone) are not
ads and are left out. The export names no channel address: give it
(``https://t.me/NAME``) and each ad gets its post's address.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from nitka.ads.collect.ad import Ad, clean_text, optional_text, published_at
from nitka.errors import IngestError, RecordError


def telegram_records(data: bytes) -> Iterator[tuple[int, Any]]:
    """The export's messages, numbered from 1 as they stand in ``messages``, each with
    the channel's name and id. The file must be one JSON object (Telegram writes it
    whole): one that is not cannot be read in part."""
    try:
        export = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise IngestError(f"not a Telegram export (result.json): not JSON: {error}") from None
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        raise IngestError("not a Telegram export (result.json): no list of messages")
    channel = {"name": export.get("name"), "id": export.get("id"), "type": export.get("type")}
    for number, message in enumerate(export["messages"], start=1):
        if isinstance(message, dict) and message.get("type", "message") != "message":
            continue
        yield number, {"channel": channel, "message": message}


def message_text(text: object) -> str:
    """The text of a message: a string, or its parts (strings and entities) joined."""
    if isinstance(text, str):
        return text
    if not isinstance(text, list):
        raise RecordError(f"expected text or a list of parts, got {type(text).__name__}",
                          field="text")  # fmt: skip
    parts = []
    for index, part in enumerate(text):
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, Mapping) and isinstance(part.get("text"), str):
            parts.append(part["text"])
        else:
            raise RecordError(f"part {index} is neither text nor an entity with text",
                              field="text")  # fmt: skip
    return "".join(parts)


def ad_from_message(record: dict[str, Any], channel_url: str | None = None) -> Ad | None:
    """The ad of one message, or None for a message with no text."""
    message = record["message"]
    if not isinstance(message, Mapping):
        raise RecordError(f"expected a message object, got {type(message).__name__}",
                          field="message")  # fmt: skip
    text = clean_text(message_text(message.get("text", "")), "text")
    if not text:
        return None
    channel: dict[str, Any] = record["channel"]
    message_id = message.get("id")
    if not isinstance(message_id, int):
        raise RecordError("a message needs its number (id)", field="id")
    when = message.get("date_unixtime") or message.get("date")
    if when is None:
        raise RecordError("a message needs its date", field="date")
    base = channel_url.rstrip("/") if channel_url else None
    return Ad(
        text=text,
        url=f"{base}/{message_id}" if base else None,
        published=published_at(when, "date_unixtime" if "date_unixtime" in message else "date"),
        publisher=optional_text(channel.get("name"), "name"),
        publisher_url=base,
        author=optional_text(message.get("from") or message.get("author"), "from"),
        message_id=f"telegram:{channel.get('id')}/{message_id}",
        source="telegram",
        original=dict(message),
    )
