"""List changes made by other processes reach every screener through the store."""

from pathlib import Path

import orjson
from sqlalchemy import Engine

from nitka.ingest.interpol import InterpolConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.screen.audit import CheckContext
from nitka.screen.changes import ChangeFeed, request_refresh
from nitka.screen.service import Screener
from nitka.screen.withdrawals import WithdrawalKind, record
from tests.helpers import WATCH_LISTS

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
    path = tmp_path / "notice.json"
    path.write_bytes(orjson.dumps([NOTICE]))
    ingest(listed, InterpolConverter(str(path), WATCH_LISTS[0]), Provenance(WATCH_LISTS[0]))
    entry_id = "interpol-red-2026-99999"
    # Another process (the ingest's operator) asks the screeners to re-read it.
    with listed.begin() as conn:
        assert request_refresh(conn, [entry_id, entry_id]) == 1
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
        request_refresh(conn, ["a", "b"])
    with listed.connect() as conn:
        feed = ChangeFeed.now(conn)
        assert feed.read(conn) == []
    with listed.begin() as conn:
        request_refresh(conn, ["c"])
    with listed.connect() as conn:
        assert feed.read(conn) == ["c"]
