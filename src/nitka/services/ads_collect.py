"""Collecting ads: a file of ads, or a configured list of feeds fetched over HTTP,
written through the ingest path (``services.ingest.ingest_file``: access, the
audit record, batches ending with the after-write step, rejects), then screened
into the review list when a screening engine is given (``services.ads_review``).

Re-collecting an ad changes nothing but the times it was seen: its entity id
is its content hash (``nitka.ads.collect.ad``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import Engine

from nitka.access.actor import Actor
from nitka.ads.collect.converter import AdConverter, AdFormat
from nitka.ads.review import Screen
from nitka.errors import FieldError, IngestError, RecordError
from nitka.ingest.base import ConverterOptions
from nitka.ingest.runner import IngestReport, OnError
from nitka.model.grading import Grading
from nitka.model.statement import Provenance
from nitka.services.ads_review import screen_pending
from nitka.services.ingest import ingest_file

MAX_FEED_BYTES = 20 * 1024 * 1024
"""A fetched feed or page larger than this is refused (not a feed: a mistake)."""
FETCH_TIMEOUT = 30.0


@dataclass(frozen=True)
class FeedSource:
    """One entry of the feeds file."""

    url: str
    dataset: str
    format: AdFormat = AdFormat.FEED


@dataclass
class Collected:
    """What one collection did: the ingest's report per source, the ads screened,
    and the sources that could not be fetched or read (the others are collected)."""

    reports: list[IngestReport] = field(default_factory=list)
    screened: int = 0
    failed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": [
                {
                    "path": r.path,
                    "dataset": r.dataset,
                    "records": r.records,
                    "ads": r.entities,
                    "rejected": r.rejected,
                    "errors": r.errors[:20],
                    "rejects": r.reject_path,
                }
                for r in self.reports
            ],
            "screened": self.screened,
            "failed": self.failed,
        }


def now_seen() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def collect_file(
    engine: Engine,
    actor: Actor,
    path: str,
    *,
    dataset: str,
    seen: str,
    format: AdFormat | None = None,
    url: str | None = None,
    case: str | None = None,
    grading: Grading | None = None,
    reject_path: str | None = None,
    screen: Screen | None = None,
) -> Collected:
    """Collect the ads of one file as the actor: bad records go to the reject file
    (named by record and field), the others are stored; then, with an engine,
    screen what is new."""
    extra = {"seen": seen, **({"format": str(format)} if format else {})}
    if url:
        extra["url"] = url
    converter = AdConverter(path, dataset, ConverterOptions(extra=extra))
    provenance = Provenance(dataset=dataset, case=case, grading=grading or Grading(), seen=seen)
    report = ingest_file(engine, actor, converter, provenance, kind="ads",
                         on_error=OnError.REJECT, reject_path=reject_path)  # fmt: skip
    collected = Collected(reports=[report])
    if screen is not None:
        collected.screened = screen_pending(engine, actor, screen, dataset=dataset)
    return collected


def read_feeds(path: str) -> list[FeedSource]:
    """The feeds file (YAML): ``feeds:``, a list of ``url``, ``dataset`` and optional
    ``format`` (feed by default; page, jsonl, csv or telegram)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise FieldError(f"{path}: cannot read the feeds file: {error}", field="feeds") from None
    entries = data.get("feeds") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise FieldError(f"{path}: expected 'feeds:', a list of url and dataset", field="feeds")
    feeds = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}, feed {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise FieldError(f"{where}: needs a url", field="url")
        if not entry["url"].startswith(("http://", "https://")):
            raise FieldError(f"{where}: {entry['url']!r} is no http(s) address", field="url")
        dataset = entry.get("dataset")
        if not isinstance(dataset, str) or not dataset.strip():
            raise FieldError(f"{where}: needs a dataset name", field="dataset")
        try:
            kind = AdFormat(entry.get("format", "feed"))
        except ValueError:
            raise FieldError(f"{where}: unknown format {entry.get('format')!r}",
                             field="format") from None  # fmt: skip
        feeds.append(FeedSource(entry["url"], dataset.strip(), kind))
    return feeds


def collect_feeds(
    engine: Engine,
    actor: Actor,
    feeds: Sequence[FeedSource],
    *,
    client: httpx.Client | None = None,
    seen: str | None = None,
    reject_dir: str | None = None,
    screen: Screen | None = None,
) -> Collected:
    """Fetch each feed and collect its ads. A feed that cannot be fetched or read is
    named in ``failed`` and the others are collected."""
    collected = Collected()
    own = client is None
    http = client or httpx.Client(timeout=FETCH_TIMEOUT, follow_redirects=True,
                                  headers={"User-Agent": "nitka-ads-collector"})  # fmt: skip
    try:
        with tempfile.TemporaryDirectory(prefix="nitka-ads-") as folder:
            for number, feed in enumerate(feeds, start=1):
                try:
                    body = _fetch(http, feed.url)
                except (httpx.HTTPError, IngestError) as error:
                    collected.failed[feed.url] = str(error) or type(error).__name__
                    continue
                fetched = Path(folder) / f"{number}.{feed.format}"
                fetched.write_bytes(body)
                rejects = str(Path(reject_dir or folder) / f"{feed.dataset}.rejects.jsonl")
                try:
                    one = collect_file(
                        engine, actor, str(fetched), dataset=feed.dataset,
                        seen=seen or now_seen(), format=feed.format, url=feed.url,
                        reject_path=rejects, screen=screen,
                    )  # fmt: skip
                except (IngestError, RecordError) as error:
                    collected.failed[feed.url] = str(error)
                    continue
                one.reports[0].path = feed.url
                collected.reports.extend(one.reports)
                collected.screened += one.screened
    finally:
        if own:
            http.close()
    return collected


def _fetch(http: httpx.Client, url: str) -> bytes:
    with http.stream("GET", url) as response:
        response.raise_for_status()
        chunks = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_FEED_BYTES:
                raise IngestError(f"larger than {MAX_FEED_BYTES // (1024 * 1024)} MiB")
            chunks.append(chunk)
    return b"".join(chunks)
