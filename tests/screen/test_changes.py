"""Every write that changes what readers see reaches a running screener through the
one change sequence (``nitka.effects``, ``nitka.store.outbox``)."""

import threading
import time
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, select

from nitka.access.retention import erase
from nitka.effects import ChangeKind, after_write
from nitka.effects.follow import Follower
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.interpol import InterpolConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.resolve.merges import judgements_for, merge, undo
from nitka.screen.audit import CheckContext
from nitka.screen.service import Screener
from nitka.screen.withdrawals import WithdrawalKind, record
from nitka.store.outbox import append_change, changes_since
from nitka.store.tables import change
from tests.helpers import WATCH_LISTS, make_entity

CONTEXT = CheckContext(user="officer.k", purpose="border check", channel="test")
NOTICE = {
    "entity_id": "2026/99999",
    "forename": "PETRO",
    "name": "ZALIZNIAK",
    "date_of_birth": "1980/02/03",
    "nationalities": ["UA"],
    "arrest_warrants": [{"issuing_country_id": "UA", "charge": "Trafficking in persons"}],
}
TWIN = {**NOTICE, "entity_id": "2026/99998", "forename": "PETR", "name": "ZALIZNYAK"}
QUERY = {
    "schema": "Person",
    "properties": {"name": ["Петро Залізняк"], "birthDate": ["1980-02-03"]},
}
ENTRY = "interpol-red-2026-99999"
TWIN_ENTRY = "interpol-red-2026-99998"


def _hit_ids(screener: Screener) -> list[str]:
    (answer,) = screener.screen([QUERY], CONTEXT)
    assert answer.result is not None
    return sorted(hit.entry.id for hit in answer.result.hits)


def _ingest_notices(engine: Engine, tmp_path: Path, dataset: str, *notices: object) -> None:
    path = tmp_path / "notice.json"
    path.write_bytes(orjson.dumps(list(notices or [NOTICE])))
    ingest(engine, InterpolConverter(str(path), dataset), Provenance(dataset))


def test_an_ingest_and_a_withdrawal_elsewhere_reach_a_running_screener(
    listed: Engine, tmp_path: Path
) -> None:
    # Changes are taken in only when the test says so, not once a second.
    screener = Screener(listed, WATCH_LISTS, poll_seconds=3600)
    assert _hit_ids(screener) == []
    _ingest_notices(listed, tmp_path, WATCH_LISTS[0])
    assert _hit_ids(screener) == [], "not before the screener reads the sequence"
    assert screener.catch_up(every=0) >= 1
    assert _hit_ids(screener) == [ENTRY]
    with listed.begin() as conn:
        record(conn, WithdrawalKind.WITHDRAW, ENTRY, WATCH_LISTS[0], user="ncb", reason="cancelled")
    assert screener.catch_up(every=0) == 1
    assert _hit_ids(screener) == []
    assert screener.catch_up(every=0) == 0, "a change is read once"
    with listed.begin() as conn:
        record(conn, WithdrawalKind.REINSTATE, ENTRY, WATCH_LISTS[0], user="ncb", reason="error")
    assert screener.catch_up(every=0) == 1
    assert _hit_ids(screener) == [ENTRY]


def test_an_erasure_reaches_a_running_screener(listed: Engine, tmp_path: Path) -> None:
    _ingest_notices(listed, tmp_path, WATCH_LISTS[0])
    screener = Screener(listed, WATCH_LISTS, poll_seconds=3600)
    assert _hit_ids(screener) == [ENTRY]
    with listed.begin() as conn:
        erase(conn, ENTRY)
    assert screener.catch_up(every=0) == 1
    assert _hit_ids(screener) == [], "an erased person no longer hits"


def test_a_merge_and_its_undo_reach_a_running_screener(listed: Engine, tmp_path: Path) -> None:
    _ingest_notices(listed, tmp_path, WATCH_LISTS[0], NOTICE, TWIN)
    screener = Screener(listed, WATCH_LISTS, poll_seconds=3600)
    assert _hit_ids(screener) == [TWIN_ENTRY, ENTRY]
    with listed.begin() as conn:
        merged = merge(conn, ENTRY, TWIN_ENTRY, "analyst.a", "same fingerprints")
    assert screener.catch_up(every=0) == 3, "both old ids and the new one are re-read"
    assert _hit_ids(screener) == [merged], "the merged-away ids answer as the kept one"
    with listed.begin() as conn:
        (judgement,) = judgements_for(conn, merged)
        undo(conn, judgement.id, "analyst.a", "different persons after all")
    screener.catch_up(every=0)
    assert _hit_ids(screener) == [TWIN_ENTRY, ENTRY]


def test_an_ingest_into_another_dataset_is_recorded_but_not_re_read(
    listed: Engine, tmp_path: Path
) -> None:
    screener = Screener(listed, WATCH_LISTS, poll_seconds=3600)
    _ingest_notices(listed, tmp_path, "case_2026_17")
    with listed.connect() as conn:
        last = changes_since(conn, 0)[-1]
    assert last.kind is ChangeKind.STATEMENTS
    assert last.datasets == ("case_2026_17",)
    assert ENTRY in last.entity_ids
    assert screener.catch_up(every=0) == 0, "an ingest into a list not screened is skipped"
    document = make_entity("Passport", "sltd-1", number="FE123456", country="ua")
    path = tmp_path / "sltd.jsonl"
    path.write_bytes(orjson.dumps(document.to_dict()) + b"\n")
    ingest(listed, FtMConverter(str(path), WATCH_LISTS[0]), Provenance(WATCH_LISTS[0]))
    assert screener.catch_up(every=0) == 1, "a document is re-read (and left to the store)"


def test_a_screener_reads_changes_at_most_once_a_period(listed: Engine) -> None:
    screener = Screener(listed, WATCH_LISTS)
    with listed.begin() as conn:
        after_write(conn, ChangeKind.REFRESH, [ENTRY])
    assert screener.catch_up(every=3600) == 0
    screener.poll_seconds = 0
    screener.screen([QUERY], CONTEXT)
    assert screener.catch_up(every=0) == 0, "the check took the change in"
    with listed.begin() as conn:
        after_write(conn, ChangeKind.REFRESH, [ENTRY])
    assert screener.catch_up(every=0) == 1


def test_a_new_follower_starts_after_the_changes_already_made(engine: Engine) -> None:
    with engine.begin() as conn:
        assert append_change(conn, ChangeKind.REFRESH, ["a", "b", "a"]) is not None
        assert append_change(conn, ChangeKind.REFRESH, []) is None, "no entity, no record"
    with engine.connect() as conn:
        follower = Follower.now(conn)
        assert follower.read(conn) == []
    with engine.begin() as conn:
        append_change(conn, ChangeKind.ERASED, ["c"])
    with engine.connect() as conn:
        assert follower.changed(conn) == ["c"]
        assert follower.changed(conn) == []


def test_a_follower_far_behind_reads_everything_in_order(engine: Engine) -> None:
    with engine.begin() as conn:
        for n in range(2500):
            append_change(conn, ChangeKind.REFRESH, [f"e{n}"])
    with engine.connect() as conn:
        follower = Follower()
        assert follower.changed(conn) == [f"e{n}" for n in range(2500)]


def test_a_write_that_rolls_back_leaves_no_change_record(engine: Engine) -> None:
    with pytest.raises(RuntimeError), engine.begin() as conn:
        append_change(conn, ChangeKind.ERASED, ["gone"])
        raise RuntimeError("the write failed after its change was appended")
    with engine.connect() as conn:
        assert conn.execute(select(change.c.seq)).all() == []


@pytest.mark.postgres
def test_sequence_numbers_commit_in_order_on_postgresql(engine: Engine) -> None:
    """A reader that has seen number n never later meets a record below n: a second
    writer's append waits until the first writer's transaction has ended."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers itself")
    first = engine.connect()
    first_tx = first.begin()
    append_change(first, ChangeKind.REFRESH, ["first"])
    done: list[int | None] = []

    def second_writer() -> None:
        with engine.begin() as conn:
            done.append(append_change(conn, ChangeKind.REFRESH, ["second"]))

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.5)
    assert done == [], "the second append waits for the first transaction"
    with engine.connect() as reader:
        assert changes_since(reader, 0) == [], "nothing committed yet"
    first_tx.commit()
    first.close()
    thread.join(10)
    with engine.connect() as reader:
        seen = [(c.entity_ids, c.seq) for c in changes_since(reader, 0)]
    assert [ids for ids, _ in seen] == [("first",), ("second",)]
    assert seen[0][1] < seen[1][1]
