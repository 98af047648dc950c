"""The fixed commands, through the CLI runner, on both backends."""

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner, Result

from nitka.cli.main import app
from nitka.demo import DATA

Invoke = Callable[..., Result]


@pytest.fixture
def run(database_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str, input: bytes | None = None) -> Result:
        return runner.invoke(app, list(args), env={"NITKA_DATABASE_URL": database_url}, input=input)

    return invoke


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for command in (
        "init",
        "ingest",
        "search",
        "show",
        "export",
        "stats",
        "merge",
        "unmerge",
        "judgements",
        "demo",
    ):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.output


def test_init_ingest_search_show_export(run: Invoke, tmp_path: Path) -> None:
    invoke = run
    assert invoke("init").exit_code == 0
    result = invoke(
        "ingest",
        "ftm",
        str(DATA / "zala_entities.ftm.jsonl"),
        "--dataset",
        "zala",
        "--grading",
        "B2",
        "--json",
    )
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert report["records"] == 91 and report["dataset"] == "zala"

    result = invoke("search", "Oleksandr Zakharov", "--json", "--limit", "3")
    assert result.exit_code == 0, result.output
    hits = orjson.loads(result.stdout)
    assert hits[0]["id"] == "NK-aU5ybkbRFJucf8YMwsJvDw"
    assert {"id", "schema", "caption", "score"} <= set(hits[0])

    result = invoke("show", hits[0]["id"], "--json")
    shown = orjson.loads(result.stdout)
    assert shown["schema"] == "Person"
    name = next(s for s in shown["statements"] if s["prop"] == "name")
    assert name["dataset"] == "zala" and name["reliability"] == "B" and name["credibility"] == "2"
    assert name["origin"].startswith("zala_entities.ftm.jsonl:")

    out = tmp_path / "export.jsonl"
    assert invoke("export", str(out)).exit_code == 0
    assert len(out.read_bytes().splitlines()) == 91
    result = invoke("export", "-", "--statements")
    assert result.exit_code == 0
    assert all(orjson.loads(line)["dataset"] == "zala" for line in result.stdout.splitlines())


def test_ingest_reads_standard_input(run: Invoke) -> None:
    invoke = run
    invoke("init")
    line = '{"id": "p1", "schema": "Person", "properties": {"name": ["Олена Шевчук"]}}\n'.encode()
    result = invoke("ingest", "ftm", "-", "--dataset", "pipe", input=line)
    assert result.exit_code == 0, result.output
    hits = orjson.loads(invoke("search", "Olena Shevchuk", "--json").stdout)
    assert [h["id"] for h in hits] == ["p1"]


def test_a_bad_record_fails_with_file_record_and_field(run: Invoke, tmp_path: Path) -> None:
    invoke = run
    invoke("init")
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "p1", "schema": "Person", "properties": {"name": ["A"]}}\n'
        '{"id": "p2", "schema": "Spaceship", "properties": {"name": ["B"]}}\n',
        encoding="utf-8",
    )
    result = invoke("ingest", "ftm", str(path))
    assert result.exit_code == 1
    assert "record 2" in result.stderr and "'schema'" in result.stderr
    result = invoke("ingest", "ftm", str(path), "--on-error", "reject", "--json")
    assert result.exit_code == 0
    assert orjson.loads(result.stdout)["rejected"] == 1
    assert Path(f"{path}.rejects.jsonl").exists()


def test_a_bad_value_is_left_out_and_said(run: Invoke, tmp_path: Path) -> None:
    run("init")
    path = tmp_path / "values.jsonl"
    path.write_text(
        '{"id": "p2", "schema": "Person", "properties": {"name": ["B"], '
        '"birthDate": ["1984-13-45", "possibly 23.7.1981"]}}\n',
        encoding="utf-8",
    )
    result = run("ingest", "ftm", str(path))
    assert result.exit_code == 0, result.output
    assert "1 values left out of records that were kept" in result.stdout
    assert f"{path}.rejects.jsonl" in result.stdout
    shown = orjson.loads(run("show", "p2", "--json").stdout)
    assert shown["properties"]["birthDate"] == ["1981-07-23"]


def test_merge_and_unmerge_through_the_cli(run: Invoke) -> None:
    invoke = run
    invoke("init")
    invoke("ingest", "ftm", str(DATA / "zala_entities.ftm.jsonl"))
    merged = invoke(
        "merge",
        "NK-aU5ybkbRFJucf8YMwsJvDw",
        "NK-JseaPJctnK9o8wrmz8xmoT",
        "--reason",
        "test",
        "--user",
        "analyst1",
    )
    assert merged.exit_code == 0, merged.output
    history = orjson.loads(invoke("judgements", "NK-JseaPJctnK9o8wrmz8xmoT", "--json").stdout)
    assert history[0]["user"] == "analyst1"
    undone = invoke("unmerge", str(history[0]["id"]), "--reason", "wrong")
    assert undone.exit_code == 0
    assert "NK-JseaPJctnK9o8wrmz8xmoT" in undone.stdout
    refused = invoke("merge", "NK-aU5ybkbRFJucf8YMwsJvDw", "nobody", "--reason", "x")
    assert refused.exit_code == 1 and "no entity" in refused.stderr


def test_commands_refuse_a_store_that_is_not_set_up(tmp_path: Path) -> None:
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'none.db'}"
    result = runner.invoke(app, ["search", "x"], env={"NITKA_DATABASE_URL": url})
    assert result.exit_code == 1 and "nitka init" in result.stderr


def test_demo_runs_and_finds_cyrillic_from_latin(tmp_path: Path) -> None:
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = runner.invoke(app, ["demo"], env={"NITKA_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert "Захаров Олександр" in result.stdout
    again = runner.invoke(app, ["stats", "--json"], env={"NITKA_DATABASE_URL": url})
    before = orjson.loads(again.stdout)
    runner.invoke(app, ["demo"], env={"NITKA_DATABASE_URL": url})
    after = orjson.loads(
        runner.invoke(app, ["stats", "--json"], env={"NITKA_DATABASE_URL": url}).stdout
    )
    assert before == after


def test_a_failed_ingest_says_what_is_stored(run: Invoke, tmp_path: Path) -> None:
    run("init")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    result = run("ingest", "ftm", str(empty))
    assert result.exit_code == 1 and "nothing was stored" in result.stderr
    assert "batches before" not in result.stderr
    path = tmp_path / "late.jsonl"
    good = [
        f'{{"id": "p{n}", "schema": "Person", "properties": {{"name": ["P {n}"]}}}}'
        for n in (1, 2, 3)
    ]
    path.write_text("\n".join([*good, "{broken"]) + "\n", encoding="utf-8")
    result = run("ingest", "ftm", str(path), "--batch-size", "2")
    assert result.exit_code == 1
    assert "the 2 records before the batch that holds record 4 are stored" in result.stderr


def test_an_ingest_into_a_case_that_does_not_exist_is_an_error(run: Invoke, tmp_path: Path) -> None:
    run("init")
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "p1", "schema": "Person", "properties": {"name": ["A"]}}\n')
    result = run("ingest", "ftm", str(path), "--case", "op-typo")
    assert result.exit_code == 1 and "no case 'op-typo'" in result.stderr
    assert "--create-case" in result.stderr
    assert orjson.loads(run("stats", "--json").stdout).get("statements", 0) == 0
    made = run("ingest", "ftm", str(path), "--case", "op-new", "--create-case")
    assert made.exit_code == 0, made.output
    shown = orjson.loads(run("show", "p1", "--json").stdout)
    assert {s["case"] for s in shown["statements"]} == {"op-new"}


def test_a_search_too_long_is_refused_at_once(run: Invoke) -> None:
    assert run("init").exit_code == 0
    result = run("search", "Petrenko " * 1200)
    assert result.exit_code == 1
    assert "at most 500 characters" in result.stderr
