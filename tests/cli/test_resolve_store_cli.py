"""``nitka resolve run``, ``review``, ``decide``, ``take-back``, ``accept``, ``undo-batch``
and ``threshold`` through the CLI runner on both backends, on persons ingested as a
user would: the run's figures, the queue as text and JSON, decisions that merge and
are taken back, a batch above the administrator's threshold undone whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner, Result

from nitka.cli.main import app

Invoke = Callable[..., Result]
PEOPLE = [
    {"id": "p-cyr", "schema": "Person",
     "properties": {"name": ["Олександр Петренко"], "birthDate": ["1980-03-04"]}},
    {"id": "p-lat", "schema": "Person",
     "properties": {"name": ["Oleksandr Petrenko"], "birthDate": ["1980-03-04"]}},
    {"id": "p-namesake", "schema": "Person",
     "properties": {"name": ["Oleksandr Petrenko"], "birthDate": ["1991-12-30"]}},
    {"id": "k-cyr", "schema": "Person",
     "properties": {"name": ["Ковальчук Ірина"], "passportNumber": ["FE123456"]}},
    {"id": "k-lat", "schema": "Person",
     "properties": {"name": ["Iryna Kovalchuk"], "passportNumber": ["FE 123456"]}},
]  # fmt: skip


@pytest.fixture
def run(database_url: str, tmp_path: Path) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), env={"NITKA_DATABASE_URL": database_url})

    people = tmp_path / "people.ftm.json"
    people.write_bytes(b"\n".join(orjson.dumps(p) for p in PEOPLE) + b"\n")
    result = invoke("ingest", "ftm", str(people), "--dataset", "npu", "--json")
    assert result.exit_code == 0, result.output
    return invoke


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def test_run_then_review_and_decide(run: Invoke) -> None:
    figures = orjson.loads(_ok(run("resolve", "run", "--json")))
    assert figures["records"] == 5
    assert figures["largest"] == 2
    assert figures["candidates"] >= 2
    queue = orjson.loads(_ok(run("resolve", "review", "--json", "--limit", "50")))
    by_pair = {(q["left"]["id"], q["right"]["id"]): q for q in queue}
    petrenko = by_pair["p-cyr", "p-lat"]
    assert petrenko["clustered"] is True
    assert petrenko["comparisons"][1][:2] == ["birth dates", "the same date"]
    text = _ok(run("resolve", "review", "--limit", "50"))
    assert "Олександр Петренко (npu, F6)" in text
    assert "birth dates: the same date" in text
    said = _ok(
        run("resolve", "decide", str(petrenko["candidate"]), "same", "--reason", "same date")
    )
    assert "same" in said
    shown = orjson.loads(_ok(run("search", "Petrenko", "--json")))
    assert len({hit["id"] for hit in shown}) == 2  # the merged one and the namesake
    _ok(run("resolve", "take-back", str(petrenko["candidate"]), "--reason", "too soon"))
    again = orjson.loads(_ok(run("resolve", "review", "--json", "--limit", "50")))
    assert petrenko["candidate"] in {q["candidate"] for q in again}


def test_batch_needs_threshold_and_is_undone(run: Invoke) -> None:
    _ok(run("resolve", "run"))
    refused = run("resolve", "accept", "--reason", "obvious")
    assert refused.exit_code != 0
    assert "no batch threshold" in refused.output
    _ok(run("resolve", "threshold", "0.99"))
    accepted = _ok(run("resolve", "accept", "--reason", "obvious"))
    assert "batch 1: 2 pairs" in accepted
    undone = _ok(run("resolve", "undo-batch", "1", "--reason", "checking"))
    assert "2 pairs open again" in undone


def test_bad_decision_names_it(run: Invoke) -> None:
    _ok(run("resolve", "run"))
    result = run("resolve", "decide", "1", "perhaps", "--reason", "x")
    assert result.exit_code != 0
    assert "same, different, unsure" in result.output
    missing = run("resolve", "decide", "999", "same", "--reason", "x")
    assert missing.exit_code != 0
    assert "no candidate 999" in missing.output


def test_link_new_links_a_new_record_without_a_new_run(run: Invoke, tmp_path: Path) -> None:
    none = orjson.loads(_ok(run("resolve", "link-new", "--json")))
    assert none["run"] is None
    figures = orjson.loads(_ok(run("resolve", "run", "--json")))
    newcomer = tmp_path / "newcomer.ftm.json"
    newcomer.write_bytes(orjson.dumps({"id": "p-new", "schema": "Person", "properties": {
        "name": ["PETRENKO Oleksandr"], "birthDate": ["1980-03-04"]}}) + b"\n")  # fmt: skip
    _ok(run("ingest", "ftm", str(newcomer), "--dataset", "interpol", "--json"))
    caught = orjson.loads(_ok(run("resolve", "link-new", "--json")))
    assert caught["run"] == figures["run"]  # the same run's model: the store is not re-linked
    assert caught["linked"] == 0  # the ingest already linked it
    queue = orjson.loads(_ok(run("resolve", "review", "--json", "--limit", "50")))
    assert any("p-new" in (q["left"]["id"], q["right"]["id"]) for q in queue)
