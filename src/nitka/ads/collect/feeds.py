"""Ads from RSS and Atom feeds (read by ``feedparser``), one ad an item.

Each item's own XML is kept as its original (found again with lxml, item by
item in the order feedparser gives them); the feed's title and link are the
ad's publisher.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from typing import Any

import feedparser
from lxml import etree

from nitka.ads.collect.ad import Ad, optional_text, published_at, require_text
from nitka.errors import IngestError, RecordError

_ITEMS = ("item", "entry")
_HTML = etree.HTMLParser()


def feed_records(data: bytes) -> Iterator[tuple[int, Any]]:
    """The feed's items, numbered from 1, each with the feed's own fields and its XML.
    A document that is no feed at all is an IngestError; an item that cannot be
    read is named when it is converted."""
    parsed = feedparser.parse(data)
    entries = list(parsed.entries)
    if not entries and (parsed.bozo or not parsed.version):
        why = parsed.get("bozo_exception") or "no RSS or Atom items"
        raise IngestError(f"not a feed: {why}")
    feed = parsed.feed
    xml = _item_xml(data)
    kept = xml if len(xml) == len(entries) else [None] * len(entries)
    for number, (entry, item) in enumerate(zip(entries, kept, strict=True), start=1):
        yield (
            number,
            {
                "entry": dict(entry),
                "xml": item,
                "feed_title": feed.get("title"),
                "feed_link": feed.get("link"),
            },
        )


def _item_xml(data: bytes) -> list[str]:
    """Each item's XML as text, in document order (empty if the XML is too broken)."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    return [
        etree.tostring(element, encoding="unicode")
        for element in root.iter()
        if isinstance(element.tag, str) and etree.QName(element).localname in _ITEMS
    ]


def ad_from_item(record: dict[str, Any]) -> Ad:
    entry: dict[str, Any] = record["entry"]
    title = optional_text(_plain(entry.get("title")), "title")
    content = entry.get("content") or []
    body = content[0].get("value") if content else entry.get("summary")
    text = optional_text(_plain(body), "description")
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    raw_when = entry.get("published") or entry.get("updated")
    if when is not None:
        published = published_at(calendar.timegm(when), "pubDate")
    elif raw_when:
        raise RecordError(f"cannot read {raw_when!r} as a date", field="pubDate")
    else:
        published = None
    original = record["xml"] or {key: entry[key] for key in entry if not key.endswith("_parsed")}
    return Ad(
        text=require_text(text, title, "description"),
        title=title,
        url=optional_text(entry.get("link"), "link"),
        published=published,
        publisher=optional_text(record.get("feed_title"), "feed title"),
        publisher_url=optional_text(record.get("feed_link"), "feed link"),
        author=optional_text(entry.get("author"), "author"),
        message_id=optional_text(entry.get("id"), "guid"),
        source="feed",
        original=original,
    )


def _plain(value: object) -> object:
    """An item's text without its HTML markup (feeds often carry HTML in descriptions)."""
    if not isinstance(value, str) or "<" not in value:
        return value
    root = etree.fromstring(f"<div>{value}</div>", _HTML)
    if root is None:
        return value
    return " ".join(" ".join(root.itertext()).split())
