"""``nitka calls chains/colocated/handsets/burners/change`` through the CLI runner, on
both backends: the VAST sample and an operator's CDR with cells and IMEIs, ingested
as a user would; JSON and tables; bad input named by its option."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner, Result

from nitka.cli.main import app
from tests.analysis.records import VAST_SAMPLE

Invoke = Callable[..., Result]

OPERATOR_CDR = """caller,receiver,start,duration,cell_id,imei
+380 93 100 0001,+380 93 100 0009,2024-04-01T10:00:00,30,A1,356938035643809
+380 93 100 0002,+380 93 100 0009,2024-04-01T10:10:00,30,A1,356938035643817
+380 93 100 0001,+380 93 100 0008,2024-04-03T10:00:00,30,C3,356938035643817
+380 93 100 0003,+380 93 100 0001,2024-04-03T10:20:00,40,C3,
"""


@pytest.fixture
def run(database_url: str, tmp_path: Path) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), env={"NITKA_DATABASE_URL": database_url})

    operator = tmp_path / "operator.csv"
    operator.write_text(OPERATOR_CDR, encoding="utf-8")
    for path, dataset in ((VAST_SAMPLE, "vast"), (operator, "operator")):
        result = invoke("ingest", "cdr", str(path), "--dataset", dataset, "--json")
        assert result.exit_code == 0, result.output
    return invoke


def _json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout)


def test_calls_chains(run: Invoke) -> None:
    (found,) = _json(run("calls", "chains", "2", "--json"))
    assert found["numbers"] == ["2", "200", "5"] and found["length"] == 2
    assert [c["start"] for c in found["calls"]] == ["2006-06-03T17:42:00", "2006-06-03T17:45:00"]
    wide = _json(run("calls", "chains", "200", "--window", "1440", "--depth", "2", "--json"))
    assert all(chain["numbers"][0] == "200" and chain["length"] == 2 for chain in wide)
    table = run("calls", "chains", "2")
    assert table.exit_code == 0 and "2 → 200 → 5" in table.stdout


def test_calls_colocated(run: Invoke) -> None:
    found = _json(run("calls", "colocated", "+380931000001", "--minutes", "20", "--json"))
    assert [(m["number"], m["meetings"], m["cells"]) for m in found] == [
        ("+380931000002", 1, ["A1"]),
        ("+380931000003", 1, ["C3"]),
    ]
    april_1 = ["--from", "2024-04-01", "--to", "2024-04-01", "--json"]
    only = _json(run("calls", "colocated", "+380 93 100 0001", *april_1))
    assert [m["number"] for m in only] == ["+380931000002"]
    assert _json(run("calls", "colocated", "200", "--json"))[0]["cells"] == ["29"]
    table = run("calls", "colocated", "200")
    assert table.exit_code == 0 and "29" in table.stdout


def test_calls_handsets(run: Invoke) -> None:
    found = _json(run("calls", "handsets", "--json"))
    assert [(row["kind"], row.get("imei") or row.get("number")) for row in found] == [
        ("handset", "356938035643817"),
        ("swap", "+380931000001"),
    ]
    assert found[0]["numbers"] == ["+380931000002", "+380931000001"]
    assert found[1]["imeis"] == ["356938035643809", "356938035643817"]
    assert _json(run("calls", "handsets", "--number", "+380931000002", "--json"))[0]["kind"] == (
        "handset"
    )
    assert "→" in run("calls", "handsets").stdout


def test_calls_burners(run: Invoke) -> None:
    found = _json(run("calls", "burners", "--max-days", "1", "--min-calls", "1", "--json"))
    assert {row["number"] for row in found} == {
        "+380931000002", "+380931000003", "+380931000008", "+380931000009"
    }  # fmt: skip
    assert all(row["days"] == 1 for row in found)
    none = run("calls", "burners", "--max-days", "1", "--max-contacts", "1", "--min-calls", "3")
    assert none.exit_code == 0 and "no short-lived number" in none.stdout


def test_calls_change(run: Invoke) -> None:
    found = _json(run("calls", "change", "200", "--date", "2006-06-05", "--days", "3", "--json"))
    assert found["number"] == "200" and found["dropped_contacts"] == ["137"]
    assert found["after"]["cells"] == {"29": 4, "28": 3, "13": 2}
    assert found["new_cells"] == ["13", "28"]
    table = run("calls", "change", "200", "--date", "2006-06-05")
    assert table.exit_code == 0 and "dropped contacts" in table.stdout


def test_bad_input_names_the_option(run: Invoke) -> None:
    depth = run("calls", "chains", "200", "--depth", "5")
    assert depth.exit_code == 2 and "--depth" in depth.output
    date = run("calls", "change", "200", "--date", "2006-06-31")
    assert date.exit_code == 2 and "--date" in date.output and "not a date" in date.output
    since = run("calls", "colocated", "200", "--from", "June")
    assert since.exit_code == 2 and "--from" in since.output
    letters = run("calls", "chains", "two hundred")
    assert letters.exit_code == 1 and "not a phone number" in letters.output
    missing = run("calls", "change", "200")
    assert missing.exit_code == 2 and "--date" in missing.output
