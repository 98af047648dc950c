"""Ads from saved web pages (HTML, as a browser saves them): one ad a page.

The page is kept whole as the ad's original (``bodyHtml``). Its address is
the canonical link, ``og:url`` or the ``saved from url`` comment browsers write;
its time ``article:published_time``, ``datePublished`` or the first ``<time>``.
The text is the page's ``<article>`` or ``<main>`` (else its body), without
scripts, styles, navigation, headers and footers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree, html

from nitka.ads.collect.ad import Ad, optional_text, published_at, require_text
from nitka.errors import IngestError, RecordError

_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_LEFT_OUT = ("script", "style", "noscript", "nav", "header", "footer", "form", "template")


def page_records(data: bytes) -> Iterator[tuple[int, Any]]:
    """The page as one record (its bytes)."""
    if not data.strip():
        raise IngestError("the page is empty")
    yield 1, data


def ad_from_page(data: bytes, url: str | None = None) -> Ad:
    """The ad of one saved page; ``url`` is where it was fetched from, if known."""
    text_of_page = data.decode("utf-8", errors="replace")
    try:
        root = html.document_fromstring(data)
    except (etree.ParserError, ValueError) as error:
        raise RecordError(f"not an HTML page: {error}", field="html") from None
    title = _meta(root, "og:title") or _first_text(root, "//title")
    address = (
        _first_attr(root, "//link[@rel='canonical']/@href")
        or _meta(root, "og:url")
        or _saved_from(data)
        or url
    )
    when = (
        _meta(root, "article:published_time")
        or _first_attr(root, "//*[@itemprop='datePublished']/@content")
        or _first_attr(root, "//time/@datetime")
    )
    return Ad(
        text=require_text(_body_text(root), title, "body"),
        title=optional_text(title, "title"),
        url=optional_text(address, "url"),
        published=published_at(when, "published_time"),
        publisher=optional_text(_meta(root, "og:site_name"), "site_name"),
        source="page",
        original={"url": url, "bytes": len(data)},
        html=text_of_page,
    )


def _body_text(root: Any) -> str | None:
    found = root.xpath("//article") or root.xpath("//main") or root.xpath("//body")
    if not found:
        return None
    part = found[0]
    for element in part.xpath(" | ".join(f".//{tag}" for tag in _LEFT_OUT)):
        element.drop_tree()
    words = " ".join(part.itertext()).split()
    return " ".join(words) or None


def _meta(root: Any, name: str) -> str | None:
    return _first_attr(root, f"//meta[@property='{name}' or @name='{name}']/@content")


def _first_attr(root: Any, path: str) -> str | None:
    values = [str(v).strip() for v in root.xpath(path) if str(v).strip()]
    return values[0] if values else None


def _first_text(root: Any, path: str) -> str | None:
    for element in root.xpath(path):
        text = " ".join(element.text_content().split())
        if text:
            return text
    return None


def _saved_from(data: bytes) -> str | None:
    match = _SAVED_FROM.search(data[:4096])
    return match.group(1).decode("utf-8", errors="replace") if match else None
