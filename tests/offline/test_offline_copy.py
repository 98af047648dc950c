"""The offline copy over real HTTP: ``nitka serve`` on the team's store (both
databases), ``nitka offline`` on a laptop's SQLite copy, each in its own process."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import orjson
import pytest
from followthemoney import model
from sqlalchemy import Connection, Engine, func, select, update

from nitka.access.accounts import add_account, create_token
from nitka.access.audit import verify
from nitka.access.cases import add_case, add_member
from nitka.access.retention import erase
from nitka.model.statement import Provenance
from nitka.offline.wire import SIGNATURE_HEADER, OfflineError, verified
from nitka.resolve.merges import merge
from nitka.screen.lists import LISTED_SCHEMATA
from nitka.screen.withdrawals import WithdrawalKind, record
from nitka.search.index import reindex
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.outbox import last_seq
from nitka.store.tables import audit_log, check_log, offline_check, offline_origin, search_name
from nitka.store.tables import statement as statement_table
from tests.helpers import WATCH_LISTS as LISTS
from tests.helpers import make_entity, store_entities
from tests.offline.laptop import Laptop, token_of
from tests.web.serving import Service, in_process, serving

SCHEMATA = sorted(
    {s.name for s in model.schemata.values() if any(s.is_a(n) for n in LISTED_SCHEMATA)}
)


@pytest.fixture
def server(listed: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    """The team server on the two real lists, with an entry of a case the officer is
    not in, and one of a case the officer is in."""
    with listed.begin() as conn:
        add_case(conn, "case-7", by="test")
        add_case(conn, "case-8", by="test")
    hidden = make_entity("Person", "hidden-1", name="Mykola Prykhovanyi", birthDate="1970-01-01")
    store_entities(listed, [hidden], Provenance(dataset=LISTS[0], case="case-7"))
    shared = make_entity("Person", "shared-1", name="Taras Vidomyi", birthDate="1971-02-02")
    store_entities(listed, [shared], Provenance(dataset=LISTS[0], case="case-8"))
    env = {"NITKA_KEYS_DIR": str(tmp_path / "keys")}
    # Three minutes to come up: these tests run beside benchmarks on a shared machine.
    with serving(listed, database_url, tmp_path, env=env, wait=180) as running:
        with listed.begin() as conn:
            add_member(conn, "case-8", "officer.k", by="test")
        yield running


@pytest.fixture
def laptop(server: Service, tmp_path: Path) -> Laptop:
    copy = Laptop(tmp_path / "laptop" / "copy.db", token_of(server.officer))
    copy.path.parent.mkdir()
    done = copy.run("offline", "pull", "--from", server.url)
    assert done.returncode == 0, done.stderr
    return copy


def visible_on_server(engine: Engine, cases: set[str | None]) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(statement_table.c.canonical_id, statement_table.c.case_id).where(
                statement_table.c.dataset.in_(LISTS), statement_table.c.schema.in_(SCHEMATA)
            )
        ).all()
    return {cid for cid, case in rows if case in cases}


def checks_file(path: Path, names: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name"])
        writer.writerows([name] for name in names)
    return path


def screen_on(laptop: Laptop, source: Path, **env: str) -> tuple[list[dict[str, str]], str]:
    args = ["--as", "officer.k", "screen", str(source), "--purpose", "border check, Chop"]
    for name in LISTS:
        args += ["--list", name]
    done = laptop.run(*args, **env)
    assert done.returncode == 0, done.stderr
    with source.with_name(source.stem + ".screened.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh)), done.stderr


def offline_checks(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(select(offline_check.c.copy_id, offline_check.c.check_id))
        ]


def search_rows(conn: Connection) -> Counter[tuple[object, ...]]:
    columns = [c for c in search_name.c if c.name != "rowid"]
    return Counter(tuple(row) for row in conn.execute(select(*columns)))


def assert_searchable_as_a_store(laptop: Laptop, tmp_path: Path) -> None:
    """The copy's search rows are those the store's own indexer builds from the copy's
    statements, its full-text table agrees with them, and it has every index of a
    store (a pull drops the secondary ones while it loads and makes them again)."""
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        upgrade(fresh)
        with fresh.connect() as conn:
            indexes = set(conn.exec_driver_sql(_INDEXES).all())
    finally:
        fresh.dispose()
    with laptop.opened() as copy, copy.connect() as conn:
        sent = search_rows(conn)
        assert sent
        reindex(conn, conn.execute(select(statement_table.c.canonical_id)).scalars())
        assert search_rows(conn) == sent
        conn.rollback()
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
        conn.rollback()
        assert set(conn.exec_driver_sql(_INDEXES).all()) == indexes


_INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index'"


def test_the_copy_holds_what_the_account_may_see_and_its_checks_go_home_once(
    server: Service, listed: Engine, laptop: Laptop, tmp_path: Path
) -> None:
    assert_searchable_as_a_store(laptop, tmp_path)
    held = laptop.held()
    assert set(held) == visible_on_server(listed, {None, "case-8"})
    assert "hidden-1" not in held and "shared-1" in held
    assert {dataset for sources in held.values() for dataset, _ in sources} == set(LISTS)
    with laptop.opened() as copy, copy.connect() as conn:
        assert "hidden-1" not in set(conn.execute(select(search_name.c.canonical_id)).scalars())
    found = laptop.origin()
    with listed.connect() as conn:
        assert found.position == last_seq(conn)
    assert (found.account, found.lists) == ("officer.k", tuple(LISTS))

    # Checks on the copy, as on any store: logged in the copy's check log.
    source = checks_file(tmp_path / "crossing.csv", ["Sergey Aksyonov", "Mykola Prykhovanyi"])
    rows, _ = screen_on(laptop, source)
    assert [row["hit"] for row in rows] == ["yes", "no"]
    with laptop.opened() as copy, copy.connect() as conn:
        made = conn.execute(select(func.count()).select_from(check_log)).scalar_one()
    assert made == 2

    first = laptop.run("offline", "upload")
    again = laptop.run("offline", "upload")
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    assert "uploaded 2 checks" in first.stderr and "uploaded 0 checks" in again.stderr
    assert sorted(n for _, n in offline_checks(listed)) == [1, 2]
    assert laptop.origin().uploaded_through == 2
    with listed.connect() as conn:
        subjects = conn.execute(
            select(audit_log.c.subject).where(audit_log.c.subject.like("%offline check%"))
        ).scalars()
        made_at = sorted(orjson.loads(s)["made at"] for s in subjects)
        assert len(made_at) == 2
        assert verify(conn).intact

    # The server refuses an upload sent without its numbers, naming the field.
    bad = {"copy": found.copy_id, "checks": [{"checked_at": "2026-12-07T10:00:00"}]}
    answer = httpx.post(f"{server.url}/offline/checks", json=bad, headers=server.officer)
    assert answer.status_code == 400
    assert answer.json()["detail"]["field"] == "checks[0].id"


def test_sync_takes_in_additions_withdrawals_erasures_and_merges(
    server: Service, listed: Engine, laptop: Laptop, tmp_path: Path
) -> None:
    held = sorted(laptop.held())
    withdrawn_id, erased_id = held[0], held[1]
    added = make_entity("Person", "new-1", name="Petro Novyi", birthDate="1980-03-03")
    store_entities(listed, [added], Provenance(dataset=LISTS[1]))
    elsewhere = make_entity("Person", "case-only-1", name="Ivan Inshyi")
    store_entities(listed, [elsewhere], Provenance(dataset="intake", case="case-7"))
    with listed.begin() as conn:
        record(conn, WithdrawalKind.WITHDRAW, withdrawn_id, LISTS[0], user="ncb", reason="x")
        record(conn, WithdrawalKind.WITHDRAW, withdrawn_id, LISTS[1], user="ncb", reason="x")
        erase(conn, erased_id)

    done = laptop.run("offline", "sync")
    assert done.returncode == 0, done.stderr
    now = laptop.held()
    assert "new-1" in now and "case-only-1" not in now
    assert withdrawn_id not in now and erased_id not in now
    with laptop.opened() as copy, copy.connect() as conn:
        indexed = set(conn.execute(select(search_name.c.canonical_id)).scalars())
    assert erased_id not in indexed and withdrawn_id not in indexed and "new-1" in indexed
    with listed.connect() as conn:
        assert laptop.origin().position == last_seq(conn)

    with listed.begin() as conn:
        record(conn, WithdrawalKind.REINSTATE, withdrawn_id, LISTS[1], user="ncb", reason="y")
    assert laptop.run("offline", "sync").returncode == 0
    assert {dataset for dataset, _ in laptop.held()[withdrawn_id]} == {LISTS[1]}

    # A merge of two lists' entries: the copy holds the one entity they became, each
    # statement with its own list, none overwritten by the other's.
    first = next(i for i, sources in now.items() if {d for d, _ in sources} == {LISTS[0]})
    second = next(i for i, sources in now.items() if {d for d, _ in sources} == {LISTS[1]})
    with listed.begin() as conn:
        merged = merge(conn, first, second, "analyst.a", "the same person")
        on_server = conn.execute(
            select(func.count()).where(statement_table.c.canonical_id == merged)
        ).scalar_one()
    assert laptop.run("offline", "sync").returncode == 0
    after = laptop.held()
    assert {first, second} - {merged} <= set(now) and not ({first, second} - {merged}) & set(after)
    assert {dataset for dataset, _ in after[merged]} == {LISTS[0], LISTS[1]}
    with laptop.opened() as copy, copy.connect() as conn:
        in_copy = conn.execute(
            select(func.count()).where(statement_table.c.canonical_id == merged)
        ).scalar_one()
    assert in_copy == on_server
    assert_searchable_as_a_store(laptop, tmp_path)


def test_a_tampered_page_is_refused_and_nothing_of_it_applied(
    server: Service, listed: Engine, laptop: Laptop
) -> None:
    key = laptop.origin().server_key
    # A position past any change number is refused by name, not a server error.
    beyond = httpx.get(f"{server.url}/offline/changes", params={"after": 2**62},
                       headers=server.officer)  # fmt: skip
    assert beyond.status_code == 422 and "after" in beyond.text
    response = httpx.get(f"{server.url}/offline/changes", headers=server.officer)
    assert response.status_code == 200
    signature = response.headers[SIGNATURE_HEADER]
    assert verified(response.content, signature, key, kind="changes")["kind"] == "changes"
    tampered = response.content.replace(b'"more":false', b'"more":true ')
    assert tampered != response.content
    with pytest.raises(OfflineError) as refused:
        verified(tampered, signature, key, kind="changes")
    assert refused.value.field == "signature"

    # A sync through a line that changes what the server sends leaves the copy as it was.
    added = make_entity("Person", "new-2", name="Olena Nova")
    store_entities(listed, [added], Provenance(dataset=LISTS[1]))
    before = laptop.origin()
    with in_process(_tampering(server.url)) as client:
        with laptop.opened() as copy, copy.begin() as conn:
            conn.execute(update(offline_origin).values(url=str(client.base_url)))
        done = laptop.run("offline", "sync")
    assert done.returncode == 1
    assert "signature" in done.stderr
    assert "new-2" not in laptop.held()
    assert laptop.origin().position == before.position


def _tampering(upstream: str) -> object:
    """A line between copy and server that renames one entry in every page it passes on."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def relay(request: Request) -> Response:
        async with httpx.AsyncClient() as client:
            answer = await client.request(
                request.method,
                upstream + request.url.path,
                params=request.query_params,
                headers={k: v for k, v in request.headers.items() if k.lower() != "host"},
                content=await request.body(),
            )
        body = answer.content.replace(b"Olena Nova", b"Olena Inna")
        headers = {k: v for k, v in answer.headers.items() if k.lower() == SIGNATURE_HEADER.lower()}
        return Response(
            body, status_code=answer.status_code, headers=headers, media_type="application/json"
        )

    return Starlette(routes=[Route("/{path:path}", relay, methods=["GET", "POST"])])


def test_an_old_copy_warns_on_every_check(laptop: Laptop, tmp_path: Path) -> None:
    source = checks_file(tmp_path / "crossing.csv", ["Sergey Aksyonov"])
    _, said = screen_on(laptop, source)
    assert "warning" not in said
    with laptop.opened() as copy, copy.begin() as conn:
        synced = laptop.origin().synced_at - timedelta(hours=72)
        conn.execute(update(offline_origin).values(synced_at=synced))
    for _ in range(2):
        _, said = screen_on(laptop, source)
        assert "warning:" in said and "72 hours ago" in said
    _, said = screen_on(laptop, source, NITKA_OFFLINE_MAX_AGE="100")
    assert "warning" not in said
    status = laptop.run("offline", "status", "--json")
    assert orjson.loads(status.stdout)["warning"].startswith("offline copy last brought up")

    # The check API on the copy says so too, in its answer and a header.
    from nitka.web.app import create_app

    with laptop.opened() as copy:
        with copy.begin() as conn:
            add_account(conn, "officer.k", "investigator")
            token = create_token(conn, "officer.k", label="laptop")
        headers = {"Authorization": f"Bearer {token}", "X-Nitka-Purpose": "border check"}
        with in_process(create_app(copy, LISTS)) as client:
            query = {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}
            for _ in range(2):
                answer = client.post("/screen", json=query, headers=headers)
                assert answer.status_code == 200, answer.text
                assert "72 hours ago" in answer.json()["warning"]
                assert answer.headers["Warning"].startswith("299 nitka")
