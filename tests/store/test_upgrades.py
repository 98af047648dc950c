"""Every migration on a populated store, on both databases (issue 26, point 2).

For each revision before the head (read from Alembic's history, so a new
migration is tested without being named here), a store made at that revision
and filled by ``tests.store.populate`` is upgraded by ``nitka init`` (the real
command, in a subprocess): it ends at the head, every row it held is still
there (rows a migration moves or a table it drops by design are accounted
for below), the statements are unchanged, the audit chain verifies with
today's verifier, and today's search finds what was stored.

Stores at each revision are copied from templates made by one walk through the
history (a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL), so the history runs once per database, not once per revision.

A store that a newer Nitka upgraded is refused by ``nitka init`` and by every
command that opens it, with its revision and the newest this Nitka knows, and
is left as it was.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from nitka.access.audit import verify
from nitka.cli.main import app
from nitka.search.query import search
from nitka.store.db import make_engine
from nitka.store.migrate import alembic_config, current_heads, history, upgrade
from tests.conftest import BACKENDS
from tests.helpers import nitka_process
from tests.postgres import scratch_database
from tests.store.populate import (
    MARKED_FROM,
    TableRows,
    at_or_after,
    entity_ids,
    missing_rows,
    populate,
    snapshot,
)

REVISIONS = history()
HEAD = REVISIONS[-1]
EARLIER = REVISIONS[:-1]

DROPPED = {
    "list_refresh": "0012: refresh requests became change records",
    "watch_list": "0012: every ingest appends a change record, whichever dataset it writes",
}
"""Tables a migration drops by design, with why nothing is lost."""
IGNORED = {"search_name": ("rowid",)}
"""Columns a migration may rewrite: 0005 rebuilds the search rows of documents and
vehicles from their statements (same rows, new rowids)."""
MOVED = {"store_setting": "0023 moves the chatbot's counts into chat_count"}
"""Tables whose rows a migration moves elsewhere; ``_moved_counts`` follows them."""

StoreAt = Callable[[str], AbstractContextManager[str]]


# -- stores at each revision ---------------------------------------------------


@pytest.fixture(scope="session")
def _sqlite_at(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Empty SQLite stores at each earlier revision: one walk through the history."""
    folder = tmp_path_factory.mktemp("revisions")
    return _sqlite_templates(folder)


@pytest.fixture(scope="session")
def _postgres_at(postgres_admin_url: str) -> Iterator[dict[str, str]]:
    """Template databases at each earlier revision, dropped before the server stops."""
    with ExitStack() as cleanup:
        yield _postgres_templates(postgres_admin_url, cleanup)


def _sqlite_templates(folder: Path) -> dict[str, Path]:
    walk = folder / "walk.db"
    engine = make_engine(f"sqlite:///{walk}")
    config = alembic_config(engine)
    made = {}
    for revision in EARLIER:
        command.upgrade(config, revision)
        engine.dispose()  # the last connection's close folds the WAL into the file
        made[revision] = folder / f"at-{revision}.db"
        shutil.copyfile(walk, made[revision])
    return made


def _postgres_templates(admin_url: str, cleanup: ExitStack) -> dict[str, str]:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    base = admin_url.rsplit("/", 1)[0]
    prefix = f"nitka_{uuid.uuid4().hex[:8]}"
    walk, names = f"{prefix}_walk", {revision: f"{prefix}_at_{revision}" for revision in EARLIER}

    def drop() -> None:
        with admin.connect() as conn:
            for name in [walk, *names.values()]:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    cleanup.callback(admin.dispose)
    if os.environ.get("NITKA_TEST_POSTGRES_URL"):
        # A server that outlives the suite; the suite's own goes, databases and all.
        cleanup.callback(drop)
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {walk}"))
    engine = make_engine(f"{base}/{walk}")
    config = alembic_config(engine)
    for revision, name in names.items():
        command.upgrade(config, revision)
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {walk}"))
    return names


@pytest.fixture(params=BACKENDS)
def store_at(request: pytest.FixtureRequest, tmp_path: Path) -> StoreAt:
    """A function giving a new, empty store at a revision, as a URL."""
    backend = request.param
    made = request.getfixturevalue("_sqlite_at" if backend == "sqlite" else "_postgres_at")

    @contextmanager
    def at(revision: str) -> Iterator[str]:
        if backend == "sqlite":
            copy = tmp_path / f"store-{revision}.db"
            shutil.copyfile(made[revision], copy)
            yield f"sqlite:///{copy}"
            return
        admin_url = request.getfixturevalue("postgres_admin_url")
        with scratch_database(admin_url, made[revision]) as url:
            yield url

    return at


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


def nitka(url: str, *args: str, process: bool = False) -> Ran:
    """The ``nitka`` command against the store at ``url``: the real one in a
    subprocess with ``process``, else the same Typer app through its runner (a
    Python process starting up costs seconds, too many for every revision)."""
    if not process:
        ran = CliRunner().invoke(app, list(args), env={"NITKA_DATABASE_URL": url})
        return Ran(ran.exit_code, ran.stdout, ran.stderr)
    done = nitka_process(url, *args)
    return Ran(done.returncode, done.stdout, done.stderr)


# -- what an upgrade must keep ----------------------------------------------------


def assert_nothing_lost(before: dict[str, TableRows], after: dict[str, TableRows]) -> None:
    """Every row present before is still there, or accounted for."""
    missing = missing_rows(before, after, IGNORED)
    for table in DROPPED:
        if table not in after:
            missing.pop(table, None)
    moved = {table: missing.pop(table, []) for table in MOVED}
    assert missing == {}, f"rows lost in the upgrade: {missing}"
    assert _moved_counts(moved["store_setting"]) <= _chat_counts(after), "counts lost by 0023"
    # No migration adds, changes or removes a statement.
    assert set(after["statement"].rows) == set(before["statement"].rows)


def _moved_counts(rows: list[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    """The chat counts that settings rows ``(key, value, ...)`` held; each row must be one."""
    counts = set()
    for key, value, *_ in rows:
        prefix, day, lang, what = key.split(":", 3)
        assert prefix == "chat", f"store_setting row {key!r} lost in the upgrade"
        counts.add((date.fromisoformat(day), "unknown", lang, what, int(value)))
    return counts


def _chat_counts(after: dict[str, TableRows]) -> set[tuple[Any, ...]]:
    found = after.get("chat_count")
    if found is None:
        return set()
    rows = found.projected(["day", "channel", "lang", "what", "n"])
    return {(_day(r[0]), *r[1:]) for r in rows}


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def assert_store_works(url: str, audit_records: int) -> None:
    engine = make_engine(url)
    try:
        assert current_heads(engine) == (HEAD,)
        with engine.connect() as conn:
            found = verify(conn)
            assert found.intact, found.problems
            assert found.records == audit_records
            hits = [hit.id for hit in search(conn, "Марія Коваль")]
            assert entity_ids(0)["person"] in hits
            assert entity_ids(0)["passport"] in [hit.id for hit in search(conn, "FE123456")]
    finally:
        engine.dispose()


# -- the tests ---------------------------------------------------------------------


@pytest.mark.parametrize("revision", EARLIER)
def test_nitka_init_upgrades_a_populated_store(store_at: StoreAt, revision: str) -> None:
    with store_at(revision) as url:
        engine = make_engine(url)
        populate(engine)
        before = snapshot(engine)
        if "audit_log" in before and not at_or_after(revision, MARKED_FROM):
            # The rule 0013 brought: today's verifier misses the whole-store export's
            # index row, which the upgrade must write.
            with engine.connect() as conn:
                found = verify(conn)
            assert not found.intact and "who-saw index" in found.problems[0]
        engine.dispose()
        behind = nitka(url, "stats")
        assert behind.code == 1 and "run `nitka init`" in " ".join(behind.stderr.split())
        # The oldest store goes through the whole history in a real process.
        done = nitka(url, "init", process=revision == REVISIONS[0])
        assert done.code == 0, done.stderr
        assert f"schema revision {HEAD}" in done.stdout
        engine = make_engine(url)
        after = snapshot(engine)
        engine.dispose()
        assert_nothing_lost(before, after)
        audit = before.get("audit_log")
        assert_store_works(url, len(audit.rows) if audit else 0)


def test_a_store_populated_at_every_revision_on_the_way_keeps_every_generation(
    store_at: StoreAt,
) -> None:
    """One store lives through the whole history: rows are added at each revision
    and every step keeps what the steps before it wrote."""
    with store_at(REVISIONS[0]) as url:
        engine = make_engine(url)
        config = alembic_config(engine)
        previous: dict[str, TableRows] = {}
        for generation, revision in enumerate(REVISIONS):
            command.upgrade(config, revision)
            before = snapshot(engine)
            if generation:
                assert_nothing_lost(previous, before)
            populate(engine, generation)
            previous = snapshot(engine)
        audit = previous["audit_log"]
        engine.dispose()
        assert_store_works(url, len(audit.rows))


NEWER = "0999_from_a_newer_nitka"


@pytest.mark.parametrize("found", [NEWER, "ae1027a6acf"])
def test_a_store_a_newer_nitka_upgraded_is_refused_and_left_as_it_was(
    database_url: str, found: str
) -> None:
    engine = make_engine(database_url)
    populate(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": found})
    before = snapshot(engine)
    for args in (["init"], ["stats"], ["search", "Коваль"], ["audit", "verify"]):
        done = nitka(database_url, *args, process=args == ["init"] and found == NEWER)
        assert done.code == 1, (args, done.stdout)
        message = " ".join(done.stderr.split())
        assert f"schema revision {found}, which this Nitka does not know" in message, args
        assert f"the newest it knows is {HEAD}" in message, args
        assert "nitka restore" in message
    assert snapshot(engine) == before
    assert current_heads(engine) == (found,)
    engine.dispose()


def test_upgrade_refuses_an_unknown_revision_before_touching_the_store(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(Exception, match="0999, which this Nitka does not know") as refused:
        upgrade(engine)
    assert getattr(refused.value, "field", None) == "schema revision"
    assert current_heads(engine) == ("0999",)
    engine.dispose()
