"""``/livez`` and ``/readyz`` for the orchestrator, over real HTTP, on both stores:
no token asked, nothing about a person answered, and readiness only on a store at
this Nitka's schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory
from fastapi import FastAPI
from sqlalchemy import Engine, text

from nitka.settings import Settings
from nitka.store.db import make_engine
from nitka.store.health import store_not_ready
from nitka.store.migrate import alembic_config, head_revision
from nitka.web.app import create_app
from tests.helpers import WATCH_LISTS
from tests.postgres import scratch_database
from tests.web.serving import in_process


@pytest.fixture
def app(listed: Engine) -> FastAPI:
    return create_app(listed, WATCH_LISTS, Settings())


@pytest.fixture
def client(app: FastAPI) -> Iterator[httpx.Client]:
    with in_process(app) as client:
        yield client


def test_live_and_ready_answer_without_a_token_and_name_no_one(client: httpx.Client) -> None:
    live = client.get("/livez")
    assert live.status_code == 200 and live.json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready"}
    # The signed-in view of the worker still asks for a token.
    assert client.get("/healthz").status_code == 401


def test_readiness_fails_on_a_store_behind_this_nitka_and_on_one_with_no_schema(
    client: httpx.Client, listed: Engine
) -> None:
    head = head_revision(listed)
    assert head is not None
    earlier = ScriptDirectory.from_config(alembic_config(listed)).get_revision(head).down_revision
    assert isinstance(earlier, str)
    # A Nitka upgraded before its store was (the image replaced, `nitka init` not yet run).
    with listed.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": earlier})
    behind = client.get("/readyz")
    assert behind.status_code == 503
    assert behind.json()["check"] == "schema"
    assert earlier in behind.json()["reason"] and "nitka init" in behind.json()["reason"]
    # A store a newer Nitka upgraded (this image is older than the store).
    with listed.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    newer = client.get("/readyz")
    assert newer.status_code == 503 and "newer Nitka" in newer.json()["reason"]
    # A store never migrated has no version at all.
    with listed.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    missing = client.get("/readyz")
    assert missing.status_code == 503 and "no schema" in missing.json()["reason"]
    with listed.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})
    assert client.get("/readyz").status_code == 200
    assert client.get("/livez").status_code == 200


@pytest.fixture
def unmigrated_url(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """An empty database on the same backend, never migrated."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with scratch_database(request.getfixturevalue("postgres_admin_url")) as url:
        yield url


def test_an_unmigrated_store_is_not_ready_and_a_migrated_one_is(
    unmigrated_url: str, engine: Engine
) -> None:
    empty = make_engine(unmigrated_url)
    try:
        found = store_not_ready(empty)
        assert found is not None and found.check == "schema"
        assert "nitka init" in found.reason
    finally:
        empty.dispose()
    assert store_not_ready(engine) is None


def test_a_database_that_does_not_answer_is_not_ready(database_url: str, tmp_path: Path) -> None:
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'no such folder' / 'nitka.db'}"
    else:
        url = database_url.rsplit("/", 1)[0] + "/no_such_database"
    gone = make_engine(url)
    try:
        found = store_not_ready(gone)
    finally:
        gone.dispose()
    assert found is not None and found.check == "database"
    assert "does not answer" in found.reason and "no_such" not in found.reason
