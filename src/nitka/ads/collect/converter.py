"""The converter that turns a file of ads into ``Message`` entities, for the ingest
path (``nitka.ingest.runner``): batches, the after-write step, rejects.

Its options (``ConverterOptions.extra``): ``format`` (csv, jsonl, feed, page,
telegram), ``seen`` (when Nitka saw the ads, ISO 8601: the ads'
``retrievedAt``), and ``url``: where a fetched feed or page came from, or a
Telegram channel's address. The contacts an ad's text names are added as its
``phoneMentioned``, ``emailMentioned`` and ``ibanMentioned``, so that search
and the store's phone index find the ad by them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

from nitka.ads.collect.ad import Ad
from nitka.ads.collect.feeds import ad_from_item, feed_records
from nitka.ads.collect.pages import ad_from_page, page_records
from nitka.ads.collect.tables import ad_from_row, csv_records, jsonl_records
from nitka.ads.collect.telegram import ad_from_message, telegram_records
from nitka.ads.contacts import ContactKind, extract
from nitka.errors import IngestError
from nitka.ingest.base import Converted, Converter, ConverterOptions

MENTIONED = {
    ContactKind.PHONE: "phoneMentioned",
    ContactKind.WHATSAPP: "phoneMentioned",
    ContactKind.VIBER: "phoneMentioned",
    ContactKind.EMAIL: "emailMentioned",
    ContactKind.IBAN: "ibanMentioned",
}
"""The properties of the ad that hold the contacts FtM has a type for."""


class AdFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    FEED = "feed"
    PAGE = "page"
    TELEGRAM = "telegram"

    @classmethod
    def of_path(cls, path: str) -> AdFormat:
        """The format a file's name suggests (``result.json`` is a Telegram export)."""
        name = Path(path).name.lower()
        for ending, found in (
            (".csv", cls.CSV),
            (".jsonl", cls.JSONL),
            (".ndjson", cls.JSONL),
            (".json", cls.TELEGRAM),
            (".html", cls.PAGE),
            (".htm", cls.PAGE),
            (".xml", cls.FEED),
            (".rss", cls.FEED),
            (".atom", cls.FEED),
        ):
            if name.endswith(ending):
                return found
        raise IngestError(f"{path}: cannot tell the format from the name; give it (--format)")


class AdConverter(Converter):
    """Ads of one file, in one of the ``AdFormat``s."""

    kind = "ads"

    def __init__(self, path: str, dataset: str, options: ConverterOptions | None = None) -> None:
        super().__init__(path, dataset, options)
        extra = self.options.extra
        try:
            self.format = AdFormat(extra.get("format") or AdFormat.of_path(path))
        except ValueError:
            raise IngestError(f"unknown ad format {extra.get('format')!r}: use one of "
                              f"{', '.join(AdFormat)}") from None  # fmt: skip
        self.seen = extra.get("seen")
        self.url = extra.get("url") or None

    def _data(self) -> bytes:
        if self.path == "-":
            return sys.stdin.buffer.read()
        try:
            return Path(self.path).read_bytes()
        except OSError as error:
            raise IngestError(f"{self.path}: {error.strerror}") from None

    def records(self) -> Iterator[tuple[int, Any]]:
        data = self._data()
        readers = {
            AdFormat.CSV: csv_records,
            AdFormat.JSONL: jsonl_records,
            AdFormat.FEED: feed_records,
            AdFormat.PAGE: page_records,
            AdFormat.TELEGRAM: telegram_records,
        }
        yield from readers[self.format](data)

    def ad(self, record: Any) -> Ad | None:
        """The ad of one record (None for a Telegram message with no text)."""
        match self.format:
            case AdFormat.CSV | AdFormat.JSONL:
                return ad_from_row(record, str(self.format))
            case AdFormat.FEED:
                return ad_from_item(record)
            case AdFormat.PAGE:
                return ad_from_page(record, self.url)
            case AdFormat.TELEGRAM:
                return ad_from_message(record, self.url)

    def convert(self, record: Any) -> Iterable[Converted]:
        ad = self.ad(record)
        if ad is None:
            return []
        entity = ad.entity(self.seen)
        for contact in extract(ad.text):
            prop = MENTIONED.get(contact.kind)
            if prop is not None:
                entity.add(prop, contact.value)
        return [entity]
