"""``nitka assess``: the fixed commands through the CLI runner, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from typer.testing import CliRunner

from nitka.assess.phrases import Phrase
from nitka.cli.main import app
from nitka.demo import DATA


def test_untoc_group_rate_override(database_url: str) -> None:
    runner = CliRunner()
    env = {"NITKA_DATABASE_URL": database_url}

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.stdout

    run("case", "add", "demo-thb-2")
    run("ingest", "ftm", str(DATA / "thb_cases.ftm.jsonl"), "--dataset", "demo_thb_cases")
    found = orjson.loads(run("assess", "untoc", "demo-thb-2", "--json"))
    assert [c["state"] for c in found["checklists"]] == ["met", "met"]
    whys = dict(_whys(found["checklists"]))  # in English for scripts, as before
    assert whys["untoc.2a"] == "every part is met"
    assert whys["untoc.2a.period"] == "dated facts span 303 days, from 2023-09-01 to 2024-06-30"
    assert whys["untoc.3.2"] == "met through untoc.3.2.a, untoc.3.2.b, untoc.3.2.c"
    assert whys["untoc.3.2.b"] == "the group or its leaders are in md, the events in pl, ua"
    said = found["checklists"][0]["parts"][0]
    assert said["why_key"] == "persons.met" and said["why_values"] == {"n": "4"}
    assert said["why"] == Phrase(said["why_key"], said["why_values"]).text()
    run("assess", "rate", "lantern-group", "corruption", "high", "--reason", "bribed a guard")
    group = orjson.loads(run("assess", "group", "lantern-group", "--profile", "socta", "--json"))
    assert group["ratings"]["corruption"]["without_evidence"]
    assert group["score"]["terms"][0]["attribute"] == "corruption"
    run("assess", "override", "demo-thb-2", "untoc.3.2", "not_met", "--reason", "test")
    again = orjson.loads(run("assess", "untoc", "demo-thb-2", "--json"))
    assert again["checklists"][1]["state"] == "not_met"
    assert again["checklists"][1]["computed"] == "met"
    bad = runner.invoke(app, ["assess", "group", "lantern-group", "--profile", "nope"], env=env)
    assert bad.exit_code == 1 and "no profile 'nope'" in bad.output


def _whys(items: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    for item in items:
        yield item["code"], item["why"]
        yield from _whys(item.get("parts", []))
