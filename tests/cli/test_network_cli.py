"""``nitka network`` through the CLI runner on the VAST call-record sample, both
backends: JSON and table output, bad options named."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import orjson
import pytest
from typer.testing import CliRunner, Result

from nitka.cli.main import app
from tests.analysis.records import VAST_SAMPLE
from tests.analysis.test_relations import A, B, two_groups

Invoke = Callable[..., Result]


@pytest.fixture
def run(database_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), env={"NITKA_DATABASE_URL": database_url})

    result = invoke("ingest", "cdr", str(VAST_SAMPLE), "--dataset", "vast", "--json")
    assert result.exit_code == 0, result.output
    return invoke


def test_network_commands_on_vast(run: Invoke) -> None:
    groups = orjson.loads(run("network", "communities", "--min-size", "2", "--json").stdout)
    assert groups and all(g["size"] == len(g["members"]) >= 2 for g in groups)
    members = [m for g in groups for m in g["members"]]
    assert len(members) == len(set(members))  # every number in one community at most
    brokers = orjson.loads(run("network", "brokers", "--limit", "3", "--json").stdout)
    assert brokers[0]["party"] == "200"  # the sample is 200's calls and his contacts'
    path = orjson.loads(run("network", "path", "3", "5", "--json").stdout)
    assert path["parties"][0] == "3" and path["parties"][-1] == "5"
    starts = [step["start"] for step in path["steps"]]
    assert starts == sorted(starts)
    players = orjson.loads(run("network", "key-players", "--limit", "1000", "--json").stdout)
    with VAST_SAMPLE.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    graph = nx.Graph((row["From"], row["To"]) for row in rows if row["From"] != row["To"])
    assert {p["party"] for p in players} == set(nx.articulation_points(graph))
    table = run("network", "communities")
    assert table.exit_code == 0 and "members" in table.stdout


def test_bad_options_are_named(run: Invoke) -> None:
    wrong = run("network", "communities", "--on", "boats")
    assert wrong.exit_code != 0 and "--on is calls, payments, trips or statements" in wrong.output
    date = run("network", "brokers", "--since", "yesterday")
    assert date.exit_code != 0 and "--since" in date.output


def test_network_of_the_statements(run: Invoke, tmp_path: Path) -> None:
    ftm = tmp_path / "groups.ftm.jsonl"
    ftm.write_bytes(b"\n".join(orjson.dumps(e.to_dict()) for e in two_groups()))
    # In a case of their own: the VAST numbers of the fixture are nodes too.
    made = run("ingest", "ftm", str(ftm), "--dataset", "groups", "--case", "g", "--create-case")
    assert made.exit_code == 0, made.output
    on = ("--on", "statements", "--case", "g", "--json")
    groups = orjson.loads(run("network", "communities", *on).stdout)
    found = sorted((set(g["members"]) - {"x"} for g in groups), key=sorted)
    assert found == [{*A, "pass-a3"}, {*B, "acc-b4"}]
    brokers = orjson.loads(run("network", "brokers", *on).stdout)
    assert brokers[0] == {"party": "x", "betweenness": 25.0, "contacts": 4}
    dated = run("network", "brokers", "--on", "statements", "--since", "2024-01-01")
    assert dated.exit_code != 0 and "--since and --until are for calls" in dated.output
    path = run("network", "path", "a1", "b1", "--on", "statements")
    assert path.exit_code != 0 and "calls or payments" in path.output
