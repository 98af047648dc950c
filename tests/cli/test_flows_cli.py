"""``nitka flows fan-out``, ``scatter-gather``, ``gather-scatter``, ``bipartite``,
``stacked``, ``below-threshold`` and ``between`` through the CLI runner, on both
backends: the JSON keys, tables without ``--json``, bad input named by its option."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.analysis.records import SHAPES, STRUCTURING
from tests.cli import test_analysis_cli
from tests.cli.test_analysis_cli import Invoke

run = test_analysis_cli.run
_json = test_analysis_cli._json
"""The CLI runner on each backend's fresh store (a fixture)."""


@pytest.fixture
def bank(run: Invoke, tmp_path: Path) -> Invoke:
    """The hand-made shapes and structuring payments (tests.analysis.records) as a bank's
    CSV file, ingested as a user would."""
    path = tmp_path / "bank.csv"
    lines = ["date,payer_account,beneficiary_account,amount,currency"]
    lines += [f"2024-03-{day:02d},{payer},{payee},10,EUR" for payer, payee, day in SHAPES]
    lines += [f"{date},{payer},{payee},{amount},{code}"
              for payer, payee, amount, code, date in STRUCTURING]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("ingest", "transactions", str(path), "--dataset", "bank")
    assert result.exit_code == 0, result.output
    return run


def test_fan_out(bank: Invoke) -> None:
    found = _json(bank("flows", "fan-out", "--json"))
    assert [(r["source"], r["target_count"]) for r in found] == [("S", 4), ("F", 3), ("H", 3)]
    within = _json(bank("flows", "fan-out", "--within", "5", "--json"))
    assert [r["source"] for r in within] == ["S", "H"]
    table = bank("flows", "fan-out")
    assert table.exit_code == 0 and "T3" in table.stdout and "{" not in table.stdout


def test_the_layering_shapes(bank: Invoke) -> None:
    (sg,) = _json(bank("flows", "scatter-gather", "--json"))
    assert (sg["source"], sg["middle"], sg["collector"]) == ("S", ["M1", "M2", "M3"], "K")
    (gs,) = _json(bank("flows", "gather-scatter", "--json"))
    assert (gs["hub"], gs["sources"], gs["targets"]) == (
        "H",
        ["G1", "G2", "G3"],
        ["P1", "P2", "P3"],
    )
    sets = _json(bank("flows", "bipartite", "--json"))
    assert (sets[0]["payers"], sets[0]["payees"]) == (["B1", "B2"], ["Q1", "Q2"])
    (stack,) = _json(bank("flows", "stacked", "--json"))
    assert stack["layers"] == [["L1", "L2"], ["N1", "N2"], ["R1", "R2"]]
    table = bank("flows", "stacked")
    assert table.exit_code == 0 and "L1, L2 → N1, N2 → R1, R2" in table.stdout
    assert "no stack" in bank("flows", "stacked", "--min-width", "3").stdout


def test_below_threshold(bank: Invoke) -> None:
    (found,) = _json(bank("flows", "below-threshold", "--threshold", "10000", "--json"))
    assert (found["payer"], found["payee"], found["payments"]) == ("X", "Y", 3)
    assert found["largest"] == 9800.0 and found["amounts"] == {"EUR": 28300.0}
    uah = bank("flows", "below-threshold", "--threshold", "10000", "--currency", "UAH",
               "--min-payments", "1", "--json")  # fmt: skip
    assert [r["currency"] for r in _json(uah)] == ["UAH"]
    table = bank("flows", "below-threshold", "--threshold", "10000", "--margin", "0.2")
    assert table.exit_code == 0 and "9,800.00" in table.stdout


def test_between(bank: Invoke) -> None:
    months: list[Any] = _json(bank("flows", "between", "X", "Y", "--json"))
    assert [(r["period"], r["a_to_b"]["payments"], r["b_to_a"]["payments"]) for r in months] == [
        ("2024-03", 6, 1),
        ("2024-04", 0, 1),
    ]
    weeks = _json(bank("flows", "between", "Y", "X", "--by", "week", "--json"))
    assert weeks[0]["period"] == "2024-W09"
    table = bank("flows", "between", "X", "Y")
    assert table.exit_code == 0 and "47,299.00 EUR" in table.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("below-threshold", "--threshold", "-100"), "threshold"),
        (("below-threshold", "--threshold", "lots"), "threshold"),
        (("below-threshold", "--threshold", "100", "--currency", "EURO"), "currency"),
        (("below-threshold", "--threshold", "100", "--margin", "2"), "margin"),
        (("below-threshold",), "--threshold"),
        (("fan-out", "--within", "-3"), "--within"),
        (("between", "X", "Y", "--by", "year"), "by 'year'"),
        (("stacked", "--min-layers", "2"), "--min-layers"),
    ],
)
def test_bad_input_names_the_option(bank: Invoke, args: tuple[str, ...], says: str) -> None:
    result = bank("flows", *args)
    assert result.exit_code != 0 and says in result.output, result.output
