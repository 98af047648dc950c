"""Fixtures for the whole suite.

- ``engine``: a migrated, empty store. Tests that take it run twice, on SQLite
  (a fresh file in tmp_path) and on a real PostgreSQL server (a fresh database
  made from a migrated template). Use it for anything that touches the store.
- ``database_url``: the same, as a URL, for tests that go through the CLI.
- ``shared_data``: the folder of real public data beside the checkout.
- ``replicated_store``: a PostgreSQL primary and a streaming replica of it, for the
  tests of reads on a replica (PostgreSQL only: SQLite has no replicas).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from tests.helpers import store_watch_lists
from tests.postgres import scratch_database, temporary_server
from tests.replication import Replicated, replicated

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "nitka_template"
BACKENDS = ["sqlite", "postgresql"]


def _require_postgres() -> bool:
    return os.environ.get("NITKA_REQUIRE_POSTGRES", "") not in ("", "0", "false")


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """URL of a PostgreSQL database on a server where tests may create databases."""
    given = os.environ.get("NITKA_TEST_POSTGRES_URL")
    with ExitStack() as stack:
        if given:
            url = given
        else:
            try:
                url = stack.enter_context(temporary_server())
            except Exception as exc:
                if _require_postgres():
                    pytest.fail(f"PostgreSQL is required but could not be started: {exc}")
                pytest.skip(f"no PostgreSQL server: {exc}")
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE}"))
            conn.execute(text(f"CREATE DATABASE {TEMPLATE}"))
        template = make_engine(url.rsplit("/", 1)[0] + f"/{TEMPLATE}")
        upgrade(template)
        template.dispose()
        admin.dispose()
        yield url


@pytest.fixture(scope="session")
def replicated_store() -> Iterator[Replicated]:
    """A PostgreSQL primary holding a migrated store, and a streaming replica of it
    (``tests.replication``): started once, for the tests of reads on a replica."""
    with ExitStack() as stack:
        try:
            pair = stack.enter_context(replicated())
        except Exception as exc:
            if _require_postgres():
                pytest.fail(f"PostgreSQL replication is required but could not start: {exc}")
            pytest.skip(f"no PostgreSQL primary and replica: {exc}")
        yield pair


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty store's URL, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'nitka.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    with scratch_database(admin_url, TEMPLATE) as url:
        yield url


@pytest.fixture
def second_database_url(request: pytest.FixtureRequest, database_url: str) -> Iterator[str]:
    """Another migrated, empty store on the same backend: a second agency's Nitka."""
    if database_url.startswith("sqlite"):
        url = database_url.replace("nitka.db", "second.db")
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    with scratch_database(admin_url, TEMPLATE) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Real public data (../shared/data); tests that need it fail loudly without it."""
    folder = ROOT.parent / "shared" / "data"
    if not folder.is_dir():
        pytest.fail(f"shared data not found at {folder}")
    return folder


@pytest.fixture
def listed(engine: Engine, tmp_path: Path) -> Engine:
    """A store holding two real watch lists: the bundled INTERPOL notices (with an
    H3 caveat) and EU Regulation 269/2014 persons."""
    store_watch_lists(engine, tmp_path)
    return engine
