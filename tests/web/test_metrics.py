"""``/metrics`` over real HTTP, on both stores: who may read it, requests counted under
their route's template, checks and hits counted, and what is read from the store (the
outbox waiting, ingests) at each scrape; with several workers, every worker's counts
added up (prometheus-client's multiprocess mode)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, insert

from nitka.access.accounts import add_account, create_token
from nitka.settings import Settings
from nitka.store.tables import ingest_run, message, outbox
from nitka.web.app import create_app
from tests.helpers import WATCH_LISTS
from tests.web.serving import in_process, serving, users_with_tokens

TOKEN = "prometheus-scrapes-with-this-secret-0123456789"
HITTING = {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}
MISSING = {"schema": "Person", "properties": {"name": ["Nobody Whatsoever Hereabouts"]}}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(base: str, token: str = TOKEN) -> Samples:
    answer = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def app(listed: Engine) -> FastAPI:
    return create_app(listed, WATCH_LISTS, Settings(metrics_token=TOKEN))


@pytest.fixture
def client(app: FastAPI) -> Iterator[httpx.Client]:
    with in_process(app) as client:
        yield client


def _sent_message(engine: Engine, message_id: str) -> None:
    """A message signed and put in the outbox, not yet acknowledged (as
    ``exchange.workflow.send`` leaves it)."""
    now = datetime.now(UTC).isoformat()
    with engine.begin() as conn:
        conn.execute(
            insert(message).values(
                id=message_id,
                direction="out",
                kind="request",
                sender="ua-ncb",
                receiver="bg-unit",
                reference="REF-1",
                status="sent",
                priority="normal",
                created_at=now,
                sent_at=now,
                body="{}",
                envelope="{}",
            )
        )
        conn.execute(insert(outbox).values(message_id=message_id, next_attempt=time.time()))


def test_only_the_metrics_token_or_an_administrator_reads_the_metrics(
    client: httpx.Client, listed: Engine
) -> None:
    officer = users_with_tokens(listed)["officer.k"]
    with listed.begin() as conn:
        add_account(conn, "admin.a", "administrator")
        admin = {"Authorization": f"Bearer {create_token(conn, 'admin.a')}"}
    assert client.get("/metrics").status_code == 401
    assert (
        client.get("/metrics", headers={"Authorization": "Bearer " + "x" * 40}).status_code == 401
    )
    assert client.get("/metrics", headers=officer).status_code == 403
    assert client.get("/metrics", headers=admin).status_code == 200
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_requests_checks_hits_the_outbox_and_ingests_are_counted(
    client: httpx.Client, listed: Engine
) -> None:
    base = str(client.base_url).rstrip("/")
    officer = users_with_tokens(listed)["officer.k"]
    before = scrape(base)
    batch = {"queries": [HITTING, MISSING, MISSING], "purpose": "border check"}
    assert client.post("/screen", json=batch, headers=officer).status_code == 200
    assert client.post("/screen", json=HITTING, headers=officer).status_code == 200
    # An entity looked up by its id: counted under the route's template, not its path.
    assert client.get("/entities/no-such-person-42", headers=officer).status_code == 404
    _sent_message(listed, "msg-waiting-1")
    with listed.begin() as conn:
        # An ingest stopped after its first batch of 50,000 records (it resumes from there).
        stamp = datetime.now(UTC).replace(tzinfo=None)
        conn.execute(
            insert(ingest_run).values(
                key="k" * 64,
                kind="ftm",
                path="/data/registry.jsonl",
                dataset="registry",
                records_done=50_000,
                finished=False,
                updated_at=stamp,
            )
        )
    after = scrape(base)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("nitka_checks_total", channel="api") == 4
    assert grew("nitka_check_hits_total", channel="api") == 2
    assert grew("nitka_http_requests_total", method="POST", route="/screen", status="200") == 2
    route = "/entities/{entity_id}"
    assert grew("nitka_http_requests_total", method="GET", route=route, status="404") == 1
    assert grew("nitka_http_request_duration_seconds_count", method="POST", route="/screen") == 2
    labels = {label for _, pairs in after for label in pairs}
    assert not [pair for pair in labels if "no-such-person" in pair[1]]
    assert value(after, "nitka_exchange_outbox_waiting") == 1
    assert value(after, "nitka_store_up") == 1
    assert value(after, "nitka_ingests_finished") == 2  # the two watch lists
    assert value(after, "nitka_ingests_running") == 1
    assert value(after, "nitka_ingest_running_records") == 50_000
    last = value(after, "nitka_ingest_last_batch_timestamp_seconds")
    assert abs(last - stamp.replace(tzinfo=UTC).timestamp()) < 1
    assert value(after, "nitka_screening_lists") == 2
    assert value(after, "nitka_screening_entries") > 100


def test_the_replica_lag_is_read_when_a_read_database_is_set(
    client: httpx.Client, listed: Engine, database_url: str
) -> None:
    base = str(client.base_url).rstrip("/")
    assert ("nitka_replica_up", frozenset()) not in scrape(base)
    if database_url.startswith("sqlite"):
        pytest.skip("a read replica is PostgreSQL's")
    # The primary itself named as the read database: it answers, and is no replica.
    itself = Settings(metrics_token=TOKEN, read_database_url=database_url)
    with in_process(create_app(listed, WATCH_LISTS, itself)) as http:
        samples = scrape(str(http.base_url).rstrip("/"))
    assert value(samples, "nitka_replica_up") == 1
    assert value(samples, "nitka_replica_in_recovery") == 0
    assert ("nitka_replica_lag_seconds", frozenset()) not in samples
    gone = database_url.rsplit("/", 1)[0] + "/gone_db"
    away = Settings(metrics_token=TOKEN, read_database_url=gone)
    with in_process(create_app(listed, WATCH_LISTS, away)) as http:
        assert value(scrape(str(http.base_url).rstrip("/")), "nitka_replica_up") == 0


def test_several_workers_add_up_their_counts(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    counts = tmp_path / "prometheus"
    env = {"NITKA_METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(counts)}
    with serving(listed, database_url, tmp_path, "--workers", "2", env=env) as service:
        workers: set[int] = set()
        checks = 0
        with httpx.Client(base_url=service.url, headers=service.officer) as http:
            # New connections until both workers have answered some.
            for _ in range(60):
                answer = http.post("/screen", json=HITTING, headers={"Connection": "close"})
                assert answer.status_code == 200
                checks += 1
                workers.add(http.get("/healthz", headers={"Connection": "close"}).json()["worker"])
                if len(workers) == 2 and checks >= 6:
                    break
        assert len(workers) == 2
        samples = scrape(service.url)
        assert value(samples, "nitka_checks_total", channel="api") == checks
        assert value(samples, "nitka_check_hits_total", channel="api") == checks
        assert (
            value(
                samples, "nitka_http_requests_total", method="POST", route="/screen", status="200"
            )
            == checks
        )
    assert list(counts.glob("*.db")), "each worker's counts are in files"


def test_a_short_metrics_token_is_refused_for_serving() -> None:
    with pytest.raises(ValueError, match="NITKA_METRICS_TOKEN"):
        Settings(metrics_token="short").check_for_serving()
