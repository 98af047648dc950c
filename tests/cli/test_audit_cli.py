"""The audit trail through the CLI: every command leaves a record; verify finds tampering."""

from pathlib import Path

import orjson
from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

from nitka.cli.main import app
from nitka.demo import DATA

PERSON = "NK-aU5ybkbRFJucf8YMwsJvDw"


def _cli(database_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        env = {"NITKA_DATABASE_URL": database_url, "NITKA_USER": "", "NITKA_PURPOSE": ""}
        return runner.invoke(app, list(args), env=env)

    return invoke


def test_commands_leave_audit_records_that_an_auditor_can_query(
    database_url: str, tmp_path: Path
) -> None:
    invoke = _cli(database_url)
    assert invoke("init").exit_code == 0
    assert invoke("ingest", "ftm", str(DATA / "zala_entities.ftm.jsonl")).exit_code == 0
    who = ("--as", "analyst.o", "--purpose", "case 2026/17")
    found = invoke(*who, "search", "Oleksandr Zakharov", "--json", "--limit", "3")
    assert orjson.loads(found.stdout)[0]["id"] == PERSON
    assert invoke(*who, "show", PERSON).exit_code == 0
    assert invoke(*who, "export", str(tmp_path / "out.jsonl")).exit_code == 0

    verified = invoke("audit", "verify", "--json")
    assert verified.exit_code == 0, verified.output
    report = orjson.loads(verified.stdout)
    assert report["intact"] and report["records"] == 4  # ingest, search, show, export

    saw = orjson.loads(invoke("audit", "who-saw", PERSON, "--json").stdout)
    assert [(r["actor"], r["action"]) for r in saw] == [
        ("analyst.o", "search"),
        ("analyst.o", "view"),
        ("analyst.o", "export"),  # names no entities, but held them all
    ]
    assert saw[2]["subject"]["scope"] == "the whole store"
    assert saw[0]["purpose"] == "case 2026/17" and saw[0]["origin"].startswith("cli@")
    assert saw[0]["subject"]["query"] == "Oleksandr Zakharov"

    did = orjson.loads(invoke("audit", "by-user", "analyst.o", "--json").stdout)
    assert [r["action"] for r in did] == ["search", "view", "export"]
    assert did[2]["result_size"] == 91
    text_output = invoke("audit", "by-user", "analyst.o").stdout
    assert "analyst.o view" in text_output and "case 2026/17" in text_output


def test_audit_verify_names_a_record_changed_in_the_database(
    database_url: str, tmp_path: Path
) -> None:
    invoke = _cli(database_url)
    invoke("init")
    for query in ("Петренко", "Zakharov", "Коваль"):
        assert invoke("search", query).exit_code == 0
    assert "intact: 3 records" in invoke("audit", "verify").stdout
    engine = create_engine(database_url)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        conn.execute(text("UPDATE audit_log SET subject = '{}' WHERE id = 2"))
    engine.dispose()
    broken = invoke("audit", "verify")
    assert broken.exit_code == 2
    assert "broken at record 2" in broken.stderr and "changed" in broken.stderr
    report = orjson.loads(invoke("audit", "verify", "--json").stdout)
    assert report["broken_at"] == 2 and not report["intact"]


def test_h2_data_is_exported_only_with_a_recorded_permission(
    database_url: str, tmp_path: Path
) -> None:
    invoke = _cli(database_url)
    invoke("init")
    assert (
        invoke("ingest", "ftm", str(DATA / "zala_entities.ftm.jsonl"), "--handling", "H2").exit_code
        == 0
    )
    out = tmp_path / "out.jsonl"
    refused = invoke("--as", "liaison.b", "export", str(out))
    assert refused.exit_code == 1 and "H2" in refused.stderr and "--permission" in refused.stderr
    assert not out.exists()
    done = invoke("--as", "liaison.b", "export", str(out), "--permission", "EPL-2026-0412")
    assert done.exit_code == 0 and len(out.read_bytes().splitlines()) == 91
    records = orjson.loads(invoke("audit", "by-user", "liaison.b", "--json").stdout)
    assert [(r["action"], r["outcome"]) for r in records] == [
        ("export", "refused"),
        ("export", "done"),
    ]
    assert records[1]["subject"]["permission"] == "EPL-2026-0412"
