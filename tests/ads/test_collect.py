"""Collecting ads through the ingest path, on both databases: provenance kept,
bad records named and the rest collected, collecting again changes nothing, feeds
fetched from a local HTTP server; then the review list, leads, filing and trends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, func, select

from nitka.ads.collect.ad import ad_id, content_hash
from nitka.ads.review import State
from nitka.ads.trends import Dimension
from nitka.model.statement import PoliceStatement
from nitka.services import ads_collect, ads_review
from nitka.services.guard import RefusedError
from nitka.store.reader import get_entity, statement_from_row
from nitka.store.tables import ad_review, change, statement
from tests.services.people import ANALYST, AUDITOR, INVESTIGATOR, OUTSIDER, cases_and_accounts

DATA = Path(__file__).parent / "data"
SEEN = "2025-02-10T08:00:00"
WORDS = {"паспорт": "documents_retained", "passport": "documents_retained",
         "готівкою": "cash_only", "cash": "cash_only", "hostess": "adult_services_hint",
         "vip": "adult_services_hint", "хостес": "adult_services_hint"}  # fmt: skip


@dataclass(frozen=True)
class Hit:
    code: str


@dataclass(frozen=True)
class Verdict:
    risk: float
    label: str
    lang: str | None
    indicators: list[Hit] = field(default_factory=list)


def keyword_screen(text: str) -> Verdict:
    """A tiny screen of a few keywords: the test's input, not the engine."""
    lower = text.lower()
    codes = sorted({code for word, code in WORDS.items() if word in lower})
    lang = "uk" if any(ch in lower for ch in "іїєґ") else "en"
    return Verdict(min(1.0, 0.4 * len(codes)), "risky" if codes else "benign", lang,
                   [Hit(c) for c in codes])  # fmt: skip


def _ads(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count(func.distinct(statement.c.canonical_id)))
                                .where(statement.c.schema == "Message")).scalar_one())  # fmt: skip


def _collect(engine: Engine, name: str, tmp_path: Path, **options: str) -> ads_collect.Collected:
    return ads_collect.collect_file(
        engine, ANALYST, str(DATA / name), dataset=name.split(".")[0], seen=SEEN,
        reject_path=str(tmp_path / f"{name}.rejects.jsonl"), screen=keyword_screen,
        **options,  # type: ignore[arg-type]
    )  # fmt: skip


def test_every_format_is_collected_with_its_provenance(engine: Engine, tmp_path: Path) -> None:
    cases_and_accounts(engine)
    for name in ("ads.csv", "ads.jsonl", "feed.rss", "atom.xml", "page.html"):
        _collect(engine, name, tmp_path)
    _collect(engine, "result.json", tmp_path, url="https://t.me/robota24")
    assert _ads(engine) == 4 + 2 + 1 + 1 + 1 + 2
    text = "Потрібні водії в Італію. Оплата готівкою. +380671112233"
    with engine.connect() as conn:
        ad = get_entity(conn, ad_id(content_hash(text)))
    assert ad is not None
    values = {s.prop: s for s in ad.statements}
    assert values["sourceUrl"].value == "https://t.me/robota24/2"
    assert values["publishedAt"].value == "2025-01-02T10:00:00"
    assert values["retrievedAt"].value.startswith("2025-02-10T08:00")
    assert values["contentHash"].value == content_hash(text)
    assert values["phoneMentioned"].value == "+380671112233"
    assert values["sourceUrl"].dataset == "result"
    original = orjson.loads(values["metadata"].value)
    assert original["format"] == "telegram" and original["record"]["id"] == 2
    page = next(s for s in _statements(engine, "bodyHtml"))
    assert "saved from url" in page.value
    assert page.origin == "page.html:1"


def _statements(engine: Engine, prop: str) -> list[PoliceStatement]:
    with engine.connect() as conn:
        rows = conn.execute(select(statement).where(statement.c.prop == prop)).all()
    return [statement_from_row(row) for row in rows]


def test_bad_records_are_named_and_the_rest_collected(engine: Engine, tmp_path: Path) -> None:
    cases_and_accounts(engine)
    for name in ("ads.jsonl", "feed.rss", "result.json"):
        report = _collect(engine, name, tmp_path).reports[0]
        assert report.rejected == 1, name
        lines = (tmp_path / f"{name}.rejects.jsonl").read_bytes().splitlines()
        rejected = orjson.loads(lines[0])
        assert rejected["field"] in {"published", "line", "pubDate", "text"}
        assert rejected["record"] in {2, 5}
    # A date the collector cannot read is left out with a note; the ad is kept.
    report = _collect(engine, "ads.csv", tmp_path).reports[0]
    assert (report.rejected, report.dropped_values) == (0, 1)
    notes = [orjson.loads(line) for line in
             (tmp_path / "ads.csv.rejects.jsonl").read_bytes().splitlines()]  # fmt: skip
    kept = next(n for n in notes if n.get("record_kept"))
    assert (kept["record"], kept["field"], kept["value"]) == (2, "published", "yesterday")
    assert _ads(engine) == 2 + 1 + 2 + 4


def test_collecting_again_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    cases_and_accounts(engine)
    _collect(engine, "ads.jsonl", tmp_path)
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(statement)).scalar_one()
    again = _collect(engine, "ads.jsonl", tmp_path)
    with engine.connect() as conn:
        after = conn.execute(select(func.count()).select_from(statement)).scalar_one()
    assert before == after and again.screened == 0


def test_an_auditor_collects_nothing(engine: Engine, tmp_path: Path) -> None:
    cases_and_accounts(engine)
    with pytest.raises(RefusedError):
        ads_collect.collect_file(engine, AUDITOR, str(DATA / "ads.csv"), dataset="x", seen=SEEN)
    assert _ads(engine) == 0


class _Feeds(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = {"/feed.rss": (DATA / "feed.rss").read_bytes(),
                "/atom.xml": (DATA / "atom.xml").read_bytes()}.get(self.path)  # fmt: skip
        self.send_response(200 if body else 404)
        self.end_headers()
        self.wfile.write(body or b"no")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feeds_are_fetched_from_a_local_server(
    engine: Engine, tmp_path: Path, feed_server: str
) -> None:
    cases_and_accounts(engine)
    feeds = tmp_path / "feeds.yml"
    feeds.write_text(
        f"feeds:\n  - url: {feed_server}/feed.rss\n    dataset: jobs\n"
        f"  - url: {feed_server}/atom.xml\n    dataset: vac\n"
        f"  - url: {feed_server}/gone.rss\n    dataset: gone\n"
    )
    done = ads_collect.collect_feeds(engine, ANALYST, ads_collect.read_feeds(str(feeds)),
                                     seen=SEEN, screen=keyword_screen)  # fmt: skip
    assert [r.entities for r in done.reports] == [1, 1]
    assert list(done.failed) == [f"{feed_server}/gone.rss"]
    assert done.screened == 2
    with engine.connect() as conn:
        seq = conn.execute(select(func.count()).select_from(change)).scalar_one()
    assert seq >= 2


def test_review_leads_filing_and_trends(engine: Engine, tmp_path: Path) -> None:
    cases_and_accounts(engine)
    _collect(engine, "result.json", tmp_path, url="https://t.me/robota24")
    _collect(engine, "ads.jsonl", tmp_path)
    from nitka.model.statement import Provenance, statements_from_entity
    from nitka.store.writer import write_statements
    from tests.helpers import make_entity

    recruiter = make_entity("Person", "recruiter-1", name="Ivan Recruiter",
                            phone="+380671112233")  # fmt: skip
    with engine.begin() as conn:
        write_statements(conn, statements_from_entity(recruiter, Provenance("c1-data", case="c1"),
                                                      origin="t"), {})  # fmt: skip
        listed = ads_review.review_list(conn, ANALYST)
    assert {item.indicators[0] for item in listed} == {"cash_only", "documents_retained"}
    drivers = next(i for i in listed if "водії" in i.text)
    with engine.begin() as conn:
        member = ads_review.show_ad(conn, INVESTIGATOR, drivers.id)
        outsider = ads_review.show_ad(conn, OUTSIDER, drivers.id)
    assert [(lead.entity, lead.case) for lead in member.leads] == [("recruiter-1", "c1")]
    assert outsider.leads == []
    assert any(c.value == "+380671112233" for c in member.contacts)
    with engine.begin() as conn, pytest.raises(RefusedError):
        ads_review.file_ad(conn, OUTSIDER, drivers.id, "c1")
    with engine.begin() as conn:
        filed = ads_review.file_ad(conn, INVESTIGATOR, drivers.id, "c1")
        assert filed > 5
        states = dict(conn.execute(select(ad_review.c.entity_id, ad_review.c.state)).all())
        in_case = conn.execute(
            select(statement.c.prop).where(
                statement.c.canonical_id == drivers.id, statement.c.case_id == "c1"
            )
        ).scalars()
        assert {"sourceUrl", "publishedAt", "metadata"} <= set(in_case)
        cells = ads_review.trends(conn, ANALYST, [Dimension.INDICATOR, Dimension.SOURCE])
    assert states[drivers.id] == State.FILED
    assert cells and all(cell.count is None and cell.shown() == "<10" for cell in cells)
