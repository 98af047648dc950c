"""The chatbot's counts in ``chat_count``: added up in the database on SQLite and
PostgreSQL, kept apart by channel, and moved there from ``store_setting`` by
migration 0023."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, insert, select

from nitka.ads.chat.counts import Counts, read_counts
from nitka.ads.chat.dialogue import Tally
from nitka.store.db import make_engine
from nitka.store.migrate import alembic_config, history, upgrade
from nitka.store.tables import chat_count, store_setting

DAY = date(2026, 5, 1)


def test_counts_add_up_in_the_database_per_channel(engine: Engine) -> None:
    web, bot = Counts(engine, channel="web", every=0), Counts(engine, every=0)
    for _ in range(3):
        web.add(Tally("uk", ("offer", "risky"), ("upfront_fee",)), DAY)
        web.flush()
    bot.add(Tally("uk", ("offer",)), DAY)
    bot.add(Tally("uk", ("offer",)), DAY)
    assert bot.flush() == 1 and bot.flush() == 0
    with engine.connect() as conn:
        found = {(c.day, c.channel, c.lang, c.what): c.n for c in read_counts(conn)}
        stored = conn.execute(select(chat_count.c.day, chat_count.c.n)).all()
    assert found == {
        ("2026-05-01", "web", "uk", "offer"): 3,
        ("2026-05-01", "web", "uk", "risky"): 3,
        ("2026-05-01", "web", "uk", "ind:upfront_fee"): 3,
        ("2026-05-01", "telegram", "uk", "offer"): 2,
    }
    assert {d for d, _ in stored} == {DAY} and all(isinstance(n, int) for _, n in stored)


def test_counts_are_read_from_a_day_on(engine: Engine) -> None:
    counts = Counts(engine, channel="web", every=0)
    counts.add(Tally("bg", ("offer",)), date(2026, 4, 30))
    counts.add(Tally("bg", ("offer",)), date(2026, 5, 2))
    counts.flush()
    with engine.connect() as conn:
        assert [c.day for c in read_counts(conn, "2026-05-01")] == ["2026-05-02"]
        assert len(read_counts(conn)) == 2
        with pytest.raises(ValueError):
            read_counts(conn, "yesterday")


def test_counts_not_written_are_kept_for_the_next_flush(tmp_path: Path) -> None:
    broken = make_engine(f"sqlite:///{tmp_path / 'nothing-here.db'}")  # no tables
    counts = Counts(broken, every=0)
    counts.add(Tally("en", ("offer",)), DAY)
    with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises
        counts.flush()
    assert sum(counts.waiting().values()) == 1
    broken.dispose()


OLD_KEYS = {
    "chat:2026-05-01:uk:offer": "3",
    "chat:2026-05-01:uk:ind:upfront_fee": "2",
    "chat:2026-05-02:en:risky": "1",
    "chat:someday:uk:offer": "1",  # not a day: left where it was
    "chat:2026-05-01:uk:benign": "many",  # not a count: left where it was
    "resolve.batch_threshold": "0.9",  # not the chatbot's
}


def test_the_migration_moves_the_counts_out_of_store_setting(database_url: str) -> None:
    old = make_engine(database_url)
    command.downgrade(alembic_config(old), "0022")  # as a store was before 0023
    with old.begin() as conn:
        conn.execute(insert(store_setting), [
            {"key": k, "value": v, "changed_by": "chatbot", "changed_at": datetime(2026, 5, 3)}
            for k, v in OLD_KEYS.items()
        ])  # fmt: skip
    assert upgrade(old) == history()[-1]
    with old.connect() as conn:
        moved = {(c.day, c.channel, c.lang, c.what): c.n for c in read_counts(conn)}
        left = dict(conn.execute(select(store_setting.c.key, store_setting.c.value)).all())
    assert moved == {
        ("2026-05-01", "unknown", "uk", "offer"): 3,
        ("2026-05-01", "unknown", "uk", "ind:upfront_fee"): 2,
        ("2026-05-02", "unknown", "en", "risky"): 1,
    }
    assert set(left) == {"chat:someday:uk:offer", "chat:2026-05-01:uk:benign",
                         "resolve.batch_threshold"}  # fmt: skip
    # New counts of the same day go on adding beside the moved ones.
    counts = Counts(old, channel="web", every=0)
    counts.add(Tally("uk", ("offer",)), DAY)
    counts.flush()
    command.downgrade(alembic_config(old), "0021")
    with old.connect() as conn:
        back = dict(conn.execute(select(store_setting.c.key, store_setting.c.value)).all())
    assert back["chat:2026-05-01:uk:offer"] == "4"  # the channels summed
    assert back["chat:2026-05-02:en:risky"] == "1"
    assert back["resolve.batch_threshold"] == "0.9"
    old.dispose()
