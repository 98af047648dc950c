"""``GET /metrics``: Prometheus's text format, through ``prometheus-client``.

Counted as they happen, in each worker process: requests by method, route
template and status, and their latency (``nitka.web.observe``); checks against
the watch lists and checks with a hit, by channel (``count_checks``, called by
the screening routes and page). Read from the store when Prometheus asks: the
exchange's outbox waiting, ingests under way and what ingests brought in, the
read replica's lag; and from the answering worker, the screening index's size.

Labels hold route templates and channels, never a path with an id in it, a
name or an account: a metric is a count, not a record of who did what.

``nitka serve --workers N`` (N > 1) answers from N processes; each keeps its
counts in files under ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's
multiprocess mode, ``nitka.web.multiproc``), and whichever answers
``/metrics`` adds up all of them.

The route is for the Prometheus server: it takes ``NITKA_METRICS_TOKEN`` as a
bearer token when one is set, and otherwise an administrator's API token.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator, Sequence
from typing import Annotated

from anyio import from_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from nitka.access.accounts import Role
from nitka.exchange.delivery import pending
from nitka.screen.answers import Answer
from nitka.screen.service import Screener
from nitka.store.health import ingest_progress, replica_state
from nitka.web.auth import requires
from nitka.web.deps import EngineDep, ScreenerDep, SettingsDep

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
"""Seconds: a check answers in milliseconds, a chart or an export in seconds."""

REQUESTS = Counter(
    "nitka_http_requests",
    "Requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "nitka_http_request_duration_seconds",
    "Time to answer a request, by method and route template.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
CHECKS = Counter(
    "nitka_checks",
    "Queries checked against the watch lists (API, yente's /match, the screening page).",
    ["channel"],
)
CHECK_HITS = Counter(
    "nitka_check_hits",
    "Checked queries with at least one hit.",
    ["channel"],
)

router = APIRouter()
_admin = requires(frozenset({Role.ADMINISTRATOR}))


def count_checks(channel: str, answers: Sequence[Answer]) -> None:
    """Count a request's checks (its bad queries too) and those that hit."""
    CHECKS.labels(channel).inc(len(answers))
    hits = sum(1 for answer in answers if answer.result is not None and answer.result.is_hit)
    if hits:
        CHECK_HITS.labels(channel).inc(hits)


def metrics_reader(request: Request, engine: EngineDep, settings: SettingsDep) -> None:
    """The Prometheus server with ``NITKA_METRICS_TOKEN``, else an administrator (its
    token checked, a refusal recorded, by ``requires`` on the event loop, which hands
    the store's part back to a thread)."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    wanted = settings.metrics_token
    if wanted and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), wanted):
        return
    from_thread.run(_admin, request, engine, settings)


@router.get("/metrics", response_class=Response, include_in_schema=False)
def metrics(
    screener: ScreenerDep,
    settings: SettingsDep,
    _: Annotated[None, Depends(metrics_reader)],
) -> Response:
    """Every metric, in Prometheus's text format."""
    store = CollectorRegistry(auto_describe=False)
    store.register(StoreCollector(screener, settings.read_database_url))
    if multiprocess_dir():
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)  # type: ignore[no-untyped-call]
    else:
        counted = REGISTRY
    body = generate_latest(counted) + generate_latest(store)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


class StoreCollector(Collector):
    """What Prometheus reads from the store and the index at each scrape."""

    def __init__(self, screener: Screener, replica: str | None) -> None:
        self.screener = screener
        self.replica = replica

    def collect(self) -> Iterator[Metric]:
        yield _gauge(
            "nitka_screening_lists",
            "Watch lists this server checks against.",
            len(self.screener.lists),
        )
        yield _gauge(
            "nitka_screening_entries",
            "Entries in the screening index of the worker that answered.",
            len(self.screener.index),
        )
        yield from self._store(self.screener.engine)
        if self.replica is not None:
            yield from self._replica(self.replica)

    def _store(self, engine: Engine) -> Iterator[Metric]:
        try:
            waiting = pending(engine)
            ingests = ingest_progress(engine)
        except SQLAlchemyError:
            yield _gauge("nitka_store_up", "Whether the store answered the scrape.", 0)
            return
        yield _gauge("nitka_store_up", "Whether the store answered the scrape.", 1)
        yield _gauge(
            "nitka_exchange_outbox_waiting",
            "Messages in the exchange's outbox not yet acknowledged by their receiver.",
            waiting,
        )
        yield _gauge("nitka_ingests_running", "Ingests under way.", ingests.running)
        yield _gauge(
            "nitka_ingest_running_records",
            "Records committed so far by the ingests under way (a batch at a time).",
            ingests.running_records,
        )
        if ingests.last_batch_at is not None:
            yield _gauge(
                "nitka_ingest_last_batch_timestamp_seconds",
                "When the latest batch of an ingest under way was committed.",
                ingests.last_batch_at,
            )
        yield _gauge("nitka_ingests_finished", "Ingests finished.", ingests.finished)
        yield _gauge(
            "nitka_ingest_statements",
            "Statements brought in by the latest ingest of every source.",
            ingests.statements,
        )

    def _replica(self, url: str) -> Iterator[Metric]:
        try:
            state = replica_state(url)
        except SQLAlchemyError:
            yield _gauge("nitka_replica_up", "Whether the read replica answered the scrape.", 0)
            return
        yield _gauge("nitka_replica_up", "Whether the read replica answered the scrape.", 1)
        yield _gauge(
            "nitka_replica_in_recovery",
            "Whether the read database is a streaming replica (1) or a primary (0).",
            int(state.in_recovery),
        )
        if state.lag_seconds is not None:
            yield _gauge(
                "nitka_replica_lag_seconds",
                "How far the read replica's replay is behind the primary's commits.",
                state.lag_seconds,
            )


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)
