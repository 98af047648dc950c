"""``nitka ingest htcds``, ``nitka htcds export`` and ``nitka htcds anonymised`` through the
CLI runner, on both backends: a file in and out again, a small k refused."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.cli import test_analysis_cli
from tests.cli.test_analysis_cli import Invoke
from tests.ingest.test_htcds import PERPETRATOR_ROW, VICTIM_ROW

run = test_analysis_cli.run
"""The CLI runner on each backend's fresh store (a fixture)."""


def test_a_file_in_and_out_again(run: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "referral.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list({**VICTIM_ROW, **PERPETRATOR_ROW}))
        writer.writeheader()
        writer.writerows([VICTIM_ROW, PERPETRATOR_ROW])
    result = run("ingest", "htcds", str(source), "--case", "c1", "--create-case")
    assert result.exit_code == 0, result.output
    target = tmp_path / "out.csv"
    result = run("htcds", "export", "c1", str(target))
    assert result.exit_code == 0, result.output
    assert "wrote 2 persons" in result.output
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {row["prs_SecondName"] for row in rows} == {"Koval", "Petrenko"}
    anonymised = tmp_path / "ctdc.csv"
    result = run("htcds", "anonymised", str(anonymised))
    assert result.exit_code == 0, result.output
    assert "0 of 1 victims" in result.output and "1 records suppressed" in result.output
    assert anonymised.read_text(encoding="utf-8").count("\n") == 1
    refused = run("htcds", "anonymised", str(anonymised), "--k", "10")
    assert refused.exit_code != 0 and "at least 11" in refused.output
    missing = run("htcds", "export", "no-such-case", str(target))
    assert missing.exit_code != 0 and "no case" in missing.output
