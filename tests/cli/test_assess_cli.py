"""``nitka assess``: the fixed commands through the CLI runner, on both backends."""

from __future__ import annotations

import orjson
from typer.testing import CliRunner

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
