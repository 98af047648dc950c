"""``nitka ads bot`` and ``nitka ads bot-counts``: the bot refuses to start without a
token; the counts are shown."""

from __future__ import annotations

from datetime import date

import orjson
from sqlalchemy import Engine
from typer.testing import CliRunner

from nitka.ads.chat.counts import Counts
from nitka.ads.chat.dialogue import Tally
from nitka.cli.main import app


def test_the_bot_needs_a_token(database_url: str) -> None:
    env = {"NITKA_DATABASE_URL": database_url, "NITKA_TELEGRAM_TOKEN": ""}
    result = CliRunner().invoke(app, ["ads", "bot"], env=env)
    assert result.exit_code == 1 and "NITKA_TELEGRAM_TOKEN" in result.output


def test_the_counts_by_day_language_and_indicator(engine: Engine, database_url: str) -> None:
    counts = Counts(engine, every=0)
    counts.add(Tally("bg", ("offer", "risky"), ("debt_bondage",)), date(2026, 5, 2))
    counts.add(Tally("uk", ("offer", "benign")), date(2026, 5, 1))
    counts.flush()
    env = {"NITKA_DATABASE_URL": database_url}
    result = CliRunner().invoke(
        app, ["ads", "bot-counts", "--since", "2026-05-02", "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout) == [
        {"day": "2026-05-02", "channel": "telegram", "lang": "bg", "what": w, "n": 1}
        for w in ("ind:debt_bondage", "offer", "risky")
    ]
    table = CliRunner().invoke(app, ["ads", "bot-counts"], env=env)
    assert table.exit_code == 0 and "telegram" in table.stdout and "2026-05-01" in table.stdout
    bad = CliRunner().invoke(app, ["ads", "bot-counts", "--since", "May"], env=env)
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
