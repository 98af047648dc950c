"""``nitka calls`` and ``nitka flows`` through the CLI runner, on both backends: the fixed
JSON outputs the checks read (``number`` and ``calls``; ``collector`` and ``sources``;
``accounts``), identifiers as the source files write them, tables without ``--json``,
bad input and refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from nitka.access.accounts import add_account
from nitka.access.cases import add_case, add_member
from nitka.cli.main import app
from tests.analysis.records import AMLSIM_SAMPLE, VAST_SAMPLE

Invoke = Callable[..., Result]


@pytest.fixture
def run(database_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), env={"NITKA_DATABASE_URL": database_url})

    return invoke


@pytest.fixture
def ingested(run: Invoke) -> Invoke:
    """The VAST and AMLSim samples, ingested as a user would."""
    for kind, path, dataset in (
        ("cdr", VAST_SAMPLE, "vast"),
        ("transactions", AMLSIM_SAMPLE, "aml"),
    ):
        result = run("ingest", kind, str(path), "--dataset", dataset, "--json")
        assert result.exit_code == 0, result.output
    return run


def _json(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    found = orjson.loads(result.stdout)
    assert isinstance(found, list)
    return found


def test_calls_common(ingested: Invoke) -> None:
    found = _json(ingested("calls", "common", "200", "5", "--json"))
    assert [(row["number"], row["calls"]) for row in found] == [("1", 12), ("137", 9), ("97", 8)]
    assert found[0]["with"] == {"200": 9, "5": 3}
    assert _json(ingested("calls", "common", "200", "5", "1", "--json")) == []


def test_calls_top(ingested: Invoke) -> None:
    found = _json(ingested("calls", "top", "200", "--limit", "2", "--json"))
    assert [(row["number"], row["calls"]) for row in found] == [("5", 14), ("1", 9)]
    table = ingested("calls", "top", "200")
    assert table.exit_code == 0 and "137" in table.stdout and "{" not in table.stdout


def test_flows_fan_in(ingested: Invoke) -> None:
    found = _json(ingested("flows", "fan-in", "--min-sources", "3", "--json"))
    assert [(row["collector"], row["sources"]) for row in found] == [
        ("9530", ["3033", "4769", "7703", "9999"]),
        ("9739", ["1950", "4596", "6976"]),
    ]
    assert found[1]["source_count"] == 3 and found[1]["amounts"] == {"USD": 14.55}
    assert [row["collector"] for row in _json(ingested("flows", "fan-in", "--json"))] == [
        "9530",
        "9739",
    ]
    assert _json(ingested("flows", "fan-in", "--min-sources", "5", "--json")) == []
    table = ingested("flows", "fan-in")
    assert table.exit_code == 0 and "9739" in table.stdout


def test_flows_cycles(ingested: Invoke) -> None:
    found = _json(ingested("flows", "cycles", "--max-length", "5", "--json"))
    assert [row["accounts"] for row in found] == [["1089", "7352", "5776", "2570", "8542"]]
    assert found[0]["payments"] == 5 and found[0]["length"] == 5
    assert _json(ingested("flows", "cycles", "--max-length", "4", "--json")) == []
    table = ingested("flows", "cycles")
    assert table.exit_code == 0 and "1089 → 7352 →" in table.stdout
    assert all(number in table.stdout for number in ("5776", "2570", "8542"))


def test_rebuild_and_rejects(ingested: Invoke) -> None:
    result = ingested("calls", "rebuild", "--json")
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout) == {"kind": "calls", "rows": 63, "rejected": 0}
    assert _json(ingested("flows", "rejects", "--json")) == []
    assert "no payments rejected" in ingested("flows", "rejects").stdout


def test_bad_input_is_named(ingested: Invoke) -> None:
    one = ingested("calls", "common", "200")
    assert one.exit_code == 1 and "2 to 10" in one.output
    letters = ingested("calls", "common", "200", "two hundred")
    assert letters.exit_code == 1 and "not a phone number" in letters.output
    short = ingested("flows", "cycles", "--max-length", "1")
    assert short.exit_code != 0


def test_a_case_and_who_asks(ingested: Invoke, engine: Engine) -> None:
    with engine.begin() as conn:
        add_case(conn, "c1", by="test")
        add_account(conn, "a.member", "analyst")
        add_account(conn, "aud.one", "auditor")
        add_member(conn, "c1", "a.member", by="test")
    # The samples are of no case: none of their calls is the case's.
    member = ingested("--as", "a.member", "calls", "common", "200", "5", "--case", "c1", "--json")
    assert _json(member) == []
    assert len(_json(ingested("--as", "a.member", "calls", "common", "200", "5", "--json"))) == 3
    refused = ingested("--as", "aud.one", "flows", "fan-in", "--json")
    assert refused.exit_code == 1 and "reads no case data" in refused.output
    outside = ingested("calls", "common", "200", "5", "--case", "c2", "--json")
    assert _json(outside) == []  # a local operator (no account) is in no case


def test_bad_payments_are_rejected_naming_record_and_field(run: Invoke, tmp_path: Path) -> None:
    bank = tmp_path / "bank.csv"
    bank.write_text(
        "transaction_id,date,payer_account,beneficiary_account,amount,currency\n"
        "T1,2024-03-01,4149 0000 0000 0001,UA-ACC-2,300,EUR\n"
        "T2,2024-03-02,4149 0000 0000 0002,UA-ACC-2,-10,EUR\n"
        "T3,2024-03-02,4149 0000 0000 0003,UA-ACC-2,250,\n",
        encoding="utf-8",
    )
    assert run("ingest", "transactions", str(bank), "--dataset", "bank").exit_code == 0
    rejects = _json(run("flows", "rejects", "--json"))
    assert sorted((r["records"], r["field"], r["value"]) for r in rejects) == [
        (["bank.csv:2"], "amount", "-10"),
        (["bank.csv:3"], "currency", ""),
    ]
    assert _json(run("flows", "fan-in", "--min-sources", "2", "--json")) == []  # one source
    assert _json(run("calls", "rejects", "--json")) == []
