"""The read replica through the real HTTP app (issue 26 points 3 and 6, docs/replica.md):
a PostgreSQL primary and a replica made with ``pg_basebackup -R``, the app served by
uvicorn with ``NITKA_READ_DATABASE_URL``. Search (the API's and the workstation's)
reads on the replica and records its audit on the primary; the screening index loads
and catches up on the replica; a user's merge is in that user's next search, whose
read waits for the replica and then asks the primary; with the replica stopped, search
and checks answer from the primary, and go back to the replica once it is back. The
workstation's link chart, timeline, map, start page and case page read on the replica
too, and a user's note or merge is on that user's next chart.
PostgreSQL only: SQLite has no replicas."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from nitka.access.accounts import find_account
from nitka.access.actor import Actor, Proof
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.services import cases
from nitka.services.guard import transaction
from nitka.settings import Settings
from nitka.store.db import make_engine
from nitka.store.replica import Reads, parse_lsn
from nitka.web.app import create_app
from nitka.web.reading import COOKIE
from tests.analysis.ring import ADDRESS, CARDS, ORGANISER, RECRUITER, TRIP, VICTIMS
from tests.helpers import WATCH_LISTS, make_entity, store_entities
from tests.replication import Replicated
from tests.services.people import last_record, records
from tests.web.serving import in_process, users_with_tokens
from tests.web.workstation import signed_in, store_workspace

NOTICE = {"schema": "Person", "properties": {"name": ["Adel Abdalkader Al Ajeil"]}}


@dataclass
class Served:
    client: httpx.Client
    reads: Reads
    primary: Engine
    officer: dict[str, str]


@pytest.fixture(scope="module")
def served(
    replicated_store: Replicated, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    primary = make_engine(replicated_store.primary_url)
    store_workspace(primary, tmp_path_factory.mktemp("lists"))
    officer = users_with_tokens(primary)["officer.k"]
    replicated_store.caught_up()
    settings = Settings(
        read_database_url=replicated_store.replica_url,
        read_wait_seconds=0.5,
        read_retry_seconds=0.5,
        # A replay paused by a test is a replica behind, not one set aside for its lag.
        read_max_lag_seconds=60.0,
    )
    app = create_app(primary, WATCH_LISTS, settings)
    with in_process(app) as client:
        yield Served(client, app.state.reads, primary, officer)
    app.state.reads.replica.dispose()
    primary.dispose()


def screen(served: Served, name: str) -> list[str]:
    query = {"schema": "Person", "properties": {"name": [name]}}
    answer = served.client.post("/screen", json=query, headers=served.officer)
    assert answer.status_code == 200, answer.text
    return [hit["caption"] for hit in answer.json()["hits"]]


def search(served: Served, name: str) -> list[str]:
    answer = served.client.get("/search", params={"q": name}, headers=served.officer)
    assert answer.status_code == 200, answer.text
    return [hit["caption"] for hit in answer.json()]


def test_search_and_the_screening_index_read_from_the_replica(served: Served) -> None:
    # The index was loaded from the replica when the app was made.
    assert served.reads.served["replica"] >= 1 and served.reads.served["primary"] == 0
    listed = screen(served, "Adel Abdalkader Al Ajeil")
    before = served.reads.served["replica"]
    assert search(served, "Adel Abdalkader Al Ajeil")[0] == listed[0]
    assert served.reads.served["replica"] == before + 1 and served.reads.served["primary"] == 0
    # The search's audit record is on the primary.
    record = last_record(served.primary)
    assert (record["actor"], record["subject"]["query"]) == (
        "officer.k",
        "Adel Abdalkader Al Ajeil",
    )
    assert "set-cookie" not in served.client.get("/search", params={"q": "x"},
                                                 headers=served.officer).headers  # fmt: skip


def test_a_users_merge_is_in_their_next_search(
    served: Served, replicated_store: Replicated
) -> None:
    base = str(served.client.base_url)
    with signed_in(base, "supervisor.in") as browser:
        # Signing in is a write: it hands back the primary's position.
        assert parse_lsn(browser.cookies.get(COOKIE)) is not None
        replicated_store.pause_replay()
        try:
            merged = browser.post(
                f"/ui/entities/{RECRUITER}/merge",
                data={"other": ORGANISER, "reason": "same phone, same passport"},
            )
            assert merged.status_code == 204, merged.text
            merged_id = merged.headers["hx-redirect"].rsplit("/", 1)[1]
            written = parse_lsn(merged.headers["x-nitka-written"])
            assert written is not None and parse_lsn(browser.cookies.get(COOKIE)) == written
            waited = served.reads.served["waited"]
            page = browser.get("/ui/search", params={"q": "Ihor Melnyk"})
            assert page.status_code == 200
            assert f"/ui/entities/{merged_id}" in page.text
            assert f"/ui/entities/{ORGANISER}" not in page.text
            assert served.reads.served["waited"] == waited + 1
        finally:
            replicated_store.resume_replay()
        replicated_store.caught_up()
        on_replica = served.reads.served["replica"]
        again = browser.get("/ui/search", params={"q": "Ihor Melnyk"})
        assert f"/ui/entities/{merged_id}" in again.text
        # The entity's page, another of the workstation's reads, is the replica's too.
        page = browser.get(f"/ui/entities/{merged_id}")
        assert page.status_code == 200 and "Ihor Melnyk" in page.text
        assert served.reads.served["replica"] == on_replica + 2


def test_with_the_replica_gone_search_and_checks_answer_from_the_primary(
    served: Served, replicated_store: Replicated
) -> None:
    listed = Provenance(WATCH_LISTS[0])
    replicated_store.stop_replica()
    try:
        primary_reads = served.reads.served["primary"]
        assert search(served, "Adel Abdalkader Al Ajeil")
        assert served.reads.served["primary"] == primary_reads + 1
        # A notice added while the replica is down reaches the checks from the primary.
        store_entities(served.primary, [make_entity("Person", "rr-fedir",
                                                    name="Fedir Zaporozhets")], listed)  # fmt: skip
        time.sleep(1.1)  # the screener's poll
        assert screen(served, "Fedir Zaporozhets")[0] == "Fedir Zaporozhets"
    finally:
        replicated_store.start_replica()
    replicated_store.caught_up()
    time.sleep(0.6)  # the retry time
    on_replica = served.reads.served["replica"]
    assert search(served, "Fedir Zaporozhets")[0] == "Fedir Zaporozhets"
    assert served.reads.served["replica"] == on_replica + 1
    # And the screener follows the change sequence on the replica again.
    store_entities(served.primary, [make_entity("Person", "rr-hanna",
                                                name="Hanna Lysenko")], listed)  # fmt: skip
    replicated_store.caught_up()
    time.sleep(1.1)
    on_replica = served.reads.served["replica"]
    assert screen(served, "Hanna Lysenko")[0] == "Hanna Lysenko"
    assert served.reads.served["replica"] == on_replica + 1


def test_the_cookie_of_a_write_is_only_a_point_to_wait_for(served: Served) -> None:
    # A forged position far ahead costs its sender a wait and a read on the primary.
    forged = {**served.officer, "X-Nitka-Written": "FF/0"}
    primary_reads = served.reads.served["primary"]
    answer = served.client.get("/search", params={"q": "Adel Abdalkader Al Ajeil"},
                               headers=forged)  # fmt: skip
    assert answer.status_code == 200 and answer.json()
    assert served.reads.served["primary"] == primary_reads + 1
    # Nonsense is no position: the read is the replica's.
    on_replica = served.reads.served["replica"]
    nonsense = {**served.officer, "X-Nitka-Written": "'; DROP TABLE x"}
    assert served.client.get("/search", params={"q": "x"}, headers=nonsense).status_code == 200
    assert served.reads.served["replica"] == on_replica + 1


@pytest.fixture
def investigator(served: Served, replicated_store: Replicated) -> Iterator[httpx.Client]:
    """A member of case c1 signed in to the workstation (a write, whose position the
    browser keeps), with the replica caught up with it."""
    with signed_in(str(served.client.base_url), "investigator.in") as browser:
        replicated_store.caught_up()
        yield browser


def chart(browser: httpx.Client, *ids: str) -> dict[str, dict[str, str]]:
    answer = browser.get("/ui/api/graph/expand", params={"id": list(ids)})
    assert answer.status_code == 200, answer.text
    return {node["id"]: node for node in answer.json()["nodes"]}


def test_the_chart_timeline_and_map_read_on_the_replica(
    served: Served, replicated_store: Replicated, investigator: httpx.Client
) -> None:
    primary_reads, on_replica = served.reads.served["primary"], served.reads.served["replica"]
    assert CARDS[0] in chart(investigator, VICTIMS[0])
    assert last_record(served.primary)["subject"] == {"expand": [VICTIMS[0]]}
    path = investigator.get("/ui/api/graph/path", params={"from": VICTIMS[0], "to": CARDS[0]})
    assert {n["id"] for n in path.json()["nodes"]} == {VICTIMS[0], CARDS[0]}
    items = investigator.get("/ui/api/timeline", params={"id": TRIP}).json()["items"]
    assert [i["id"] for i in items] == [TRIP]
    assert last_record(served.primary)["subject"] == {"timeline": [TRIP]}
    places = investigator.get("/ui/api/places", params={"id": ADDRESS}).json()
    assert [p["entity"] for p in places["places"]] == [ADDRESS]
    record = last_record(served.primary)
    assert (record["actor"], record["subject"], record["entities"]) == (
        "investigator.in",
        {"places": [ADDRESS]},
        [ADDRESS],
    )
    home = investigator.get("/ui/")
    assert home.status_code == 200 and "Recruitment ring, Odesa" in home.text
    case = investigator.get("/ui/cases/c1")
    assert case.status_code == 200 and "Maria Koval" in case.text
    assert investigator.get("/ui/chart").status_code == 200
    # Seven reads, each on the replica; none on the primary.
    assert served.reads.served["replica"] == on_replica + 7
    assert served.reads.served["primary"] == primary_reads
    # What the chart shows is the replica's: a card written on the primary while the
    # replica replays nothing is not on it (no write of this user's to wait for).
    card = make_entity("BankAccount", "rr-card-3", accountNumber="4149300011112222")
    owns = make_entity("Ownership", "rr-own-card-3", owner=VICTIMS[0], asset="rr-card-3")
    victim = Provenance("npu", case="c1", category=DataSubjectCategory.VICTIM)
    replicated_store.pause_replay()
    try:
        store_entities(served.primary, [card, owns], victim)
        assert "rr-card-3" not in chart(investigator, VICTIMS[0])
        assert served.reads.served["replica"] == on_replica + 8
    finally:
        replicated_store.resume_replay()
    replicated_store.caught_up()
    assert "rr-card-3" in chart(investigator, VICTIMS[0])
    assert served.reads.served["primary"] == primary_reads


def test_a_users_note_and_merge_are_on_their_next_chart(
    served: Served, replicated_store: Replicated, investigator: httpx.Client
) -> None:
    replicated_store.pause_replay()
    try:
        waited = served.reads.served["waited"]
        noted = investigator.post(
            "/ui/cases/c1/notes",
            data={"text": "The second card pays the organiser too.", "about": CARDS[1]},
        )
        assert noted.status_code == 204, noted.text
        assert parse_lsn(noted.headers["x-nitka-written"]) is not None
        notes = [n for n in chart(investigator, CARDS[1]).values() if n["schema"] == "Note"]
        assert len(notes) == 1
        assert "pays the organiser too" in investigator.get("/ui/cases/c1").text
        assert served.reads.served["waited"] == waited + 2
        merged = investigator.post(
            f"/ui/entities/{CARDS[0]}/merge",
            data={"other": CARDS[1], "reason": "the same card, typed twice"},
        )
        assert merged.status_code == 204, merged.text
        merged_id = merged.headers["hx-redirect"].rsplit("/", 1)[1]
        nodes = chart(investigator, CARDS[0])
        assert merged_id in nodes and notes[0]["id"] in nodes
        assert CARDS[0] not in nodes and CARDS[1] not in nodes
        assert served.reads.served["waited"] == waited + 3
        # A read with no write to wait for is the replica's, which has replayed neither.
        with signed_in(str(served.client.base_url), "supervisor.in") as other:
            other.cookies.delete(COOKIE)
            on_replica = served.reads.served["replica"]
            stale = chart(other, CARDS[0])
            assert CARDS[0] in stale and merged_id not in stale and notes[0]["id"] not in stale
            assert served.reads.served["replica"] == on_replica + 1
    finally:
        replicated_store.resume_replay()


def test_a_case_page_the_replica_fails_under_is_read_on_the_primary_and_recorded_once(
    served: Served, replicated_store: Replicated
) -> None:
    """The case's entities, notes and charts are read before its audit record is
    written: run again on the primary, the page is recorded once."""
    with served.primary.connect() as conn:
        account = find_account(conn, "investigator.in")
    assert account is not None
    actor = Actor.of(account, proof=Proof.SESSION, origin="tests")
    stopped: list[bool] = []

    def stop_under_the_read(read: Connection) -> cases.CaseWorkspace:
        if not stopped:
            stopped.append(True)
            replicated_store.stop_replica()
        return cases.workspace(conn, actor, "c1", read=read)

    before, reruns = len(records(served.primary)), served.reads.served["rerun"]
    try:
        with transaction(served.primary) as conn:
            space = served.reads.run(stop_under_the_read, primary=conn)
    finally:
        replicated_store.start_replica()
    assert stopped and served.reads.served["rerun"] == reruns + 1
    assert "Maria Koval" in {row["caption"] for row in space.entities}
    added = records(served.primary)[before:]
    assert [(r["actor"], r["subject"]) for r in added] == [
        ("investigator.in", {"case": "c1", "page": 1})
    ]
    replicated_store.caught_up()
