"""List changes made by other processes reach every screener through the store."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
from sqlalchemy import Connection, Engine, insert, select

from nitka.ingest.ftm import FtMConverter
from nitka.ingest.interpol import InterpolConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.screen.audit import CheckContext
from nitka.screen.changes import (
    KEEP_DAYS,
    RELOAD_AFTER_SECONDS,
    ChangeFeed,
    is_watched,
    prune_refreshes,
    request_refresh,
)
from nitka.screen.service import Screener
from nitka.screen.withdrawals import WithdrawalKind, record
from nitka.store.tables import list_refresh
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
QUERY = {
    "schema": "Person",
    "properties": {"name": ["Петро Залізняк"], "birthDate": ["1980-02-03"]},
}


def _hit_ids(screener: Screener) -> list[str]:
    (answer,) = screener.screen([QUERY], CONTEXT)
    assert answer.result is not None
    return [hit.entry.id for hit in answer.result.hits]


def test_an_ingest_and_a_withdrawal_elsewhere_reach_a_running_screener(
    listed: Engine, tmp_path: Path
) -> None:
    # Changes are taken in only when the test says so, not once a second.
    screener = Screener(listed, WATCH_LISTS, poll_seconds=3600)
    assert _hit_ids(screener) == []
    # Another process ingests a new notice into a list being screened: the
    # ingest files the refresh request itself.
    _ingest_notice(listed, tmp_path, WATCH_LISTS[0])
    entry_id = "interpol-red-2026-99999"
    assert _hit_ids(screener) == [], "not before the screener looks for changes"
    assert screener.catch_up(every=0) == 1
    assert _hit_ids(screener) == [entry_id]
    # A withdrawal recorded by someone else (``nitka withdraw``) is a change too.
    with listed.begin() as conn:
        record(
            conn,
            WithdrawalKind.WITHDRAW,
            entry_id,
            WATCH_LISTS[0],
            user="ncb.duty",
            reason="notice cancelled",
        )
    assert screener.catch_up(every=0) == 1
    assert _hit_ids(screener) == []
    assert screener.catch_up(every=0) == 0, "a change is read once"


def test_only_ingests_into_screened_lists_file_refresh_requests(
    listed: Engine, tmp_path: Path
) -> None:
    _ingest_notice(listed, tmp_path, "case_2026_17")
    with listed.connect() as conn:
        assert _refresh_rows(conn) == []
        assert not is_watched(conn, "case_2026_17")
    Screener(listed, WATCH_LISTS)
    with listed.connect() as conn:
        assert all(is_watched(conn, name) for name in WATCH_LISTS)
    document = make_entity("Passport", "sltd-1", number="FE123456", country="ua")
    path = tmp_path / "sltd.jsonl"
    path.write_bytes(orjson.dumps(document.to_dict()) + b"\n")
    report = ingest(listed, FtMConverter(str(path), WATCH_LISTS[0]), Provenance(WATCH_LISTS[0]))
    assert report.statements > 0
    with listed.connect() as conn:
        assert _refresh_rows(conn) == [], "documents are looked up, not held: nothing to re-read"
    _ingest_notice(listed, tmp_path, WATCH_LISTS[0])
    with listed.connect() as conn:
        assert _refresh_rows(conn) == ["interpol-red-2026-99999"]


def _ingest_notice(engine: Engine, tmp_path: Path, dataset: str) -> None:
    path = tmp_path / "notice.json"
    path.write_bytes(orjson.dumps([NOTICE]))
    ingest(engine, InterpolConverter(str(path), dataset), Provenance(dataset))


def _refresh_rows(conn: Connection) -> list[str]:
    return list(
        conn.execute(select(list_refresh.c.entity_id).order_by(list_refresh.c.id)).scalars()
    )


def test_a_screener_reads_changes_at_most_once_a_period(listed: Engine) -> None:
    screener = Screener(listed, WATCH_LISTS)
    with listed.begin() as conn:
        request_refresh(conn, ["interpol-red-2026-99999"])
    assert screener.catch_up(every=3600) == 0
    screener.poll_seconds = 0
    screener.screen([QUERY], CONTEXT)
    assert screener.catch_up(every=0) == 0, "the check took the change in"
    with listed.begin() as conn:
        request_refresh(conn, ["interpol-red-2026-99999"])
    assert screener.catch_up(every=0) == 1


def test_a_new_feed_starts_after_the_changes_already_made(listed: Engine) -> None:
    with listed.begin() as conn:
        assert request_refresh(conn, ["a", "b", "a"]) == 2
    with listed.connect() as conn:
        feed = ChangeFeed.now(conn)
        assert feed.read(conn) == []
    with listed.begin() as conn:
        request_refresh(conn, ["c"])
    with listed.connect() as conn:
        assert feed.read(conn) == ["c"]


def test_old_refresh_requests_are_pruned_and_a_long_idle_screener_reloads(
    listed: Engine, tmp_path: Path
) -> None:
    screener = Screener(listed, WATCH_LISTS, poll_seconds=3600)
    long_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=KEEP_DAYS + 1)
    with listed.begin() as conn:
        conn.execute(insert(list_refresh).values(entity_id="old", created_at=long_ago))
        request_refresh(conn, ["new"])
        kept = list(conn.execute(select(list_refresh.c.entity_id)).scalars())
    assert kept == ["new"], "a request older than a week is removed as new ones come"
    # A notice ingested while the screener was idle for a week, its refresh
    # request pruned since: the screener loads its lists again and finds it.
    _ingest_notice(listed, tmp_path, WATCH_LISTS[0])
    with listed.begin() as conn:
        assert prune_refreshes(conn, datetime.now(UTC).replace(tzinfo=None) + timedelta(1)) > 0
    screener._caught_up -= RELOAD_AFTER_SECONDS + 1  # a week without a check
    assert screener.catch_up(every=0) == len(screener.index) > 0
    assert _hit_ids(screener) == ["interpol-red-2026-99999"]
