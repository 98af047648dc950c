"""``nitka ads score IN.csv --out OUT.csv`` and ``nitka ads explain``: the fixed interface."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
from sqlalchemy import Engine
from typer.testing import CliRunner

from nitka.cli.main import app

runner = CliRunner()
RISKY = (
    "Работа в Польше. Паспорт сдаёте бригадиру на хранение. Дорогу и жильё оплачиваем, "
    "потом вычитаем из зарплаты. Пишите только в Телеграм @rabota_evro_now."
)
HONEST = (
    "Warehouse work in Leeds. West Staffing Ltd, licence no. 1457. 11 GBP an hour, written "
    "contract. Send your CV to hr@weststaffing.co.uk."
)


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_score_writes_the_fixed_columns(tmp_path: Path) -> None:
    source, target = tmp_path / "ads.csv", tmp_path / "out.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["ad_id", "text", "lang", "title"],
                ["a1", RISKY, "", ""],
                ["a2", HONEST, "en", "Warehouse"],
                ["a3", "", "", ""],
            ]
        )
    result = runner.invoke(app, ["ads", "score", str(source), "--out", str(target)])
    assert result.exit_code == 0, result.output
    rows = _read(target)
    assert rows[0] == ["ad_id", "risk", "label", "indicators", "lang"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["a1"][2] == "risky" and by_id["a1"][4] == "ru"
    assert {"documents_retained", "debt_bondage", "messenger_only"} <= set(
        by_id["a1"][3].split(";")
    )
    assert by_id["a2"][2] == "benign" and by_id["a2"][4] == "en"
    assert by_id["a3"] == ["a3", "0.0000", "benign", "", "und"]
    assert all(0.0 <= float(r[1]) <= 1.0 for r in rows[1:])


def test_a_bad_row_is_named_and_the_others_are_scored(tmp_path: Path) -> None:
    source, target = tmp_path / "ads.csv", tmp_path / "out.csv"
    source.write_bytes(
        b"ad_id,text,lang\n"
        b"1,fine text about warehouse work,en\n"
        b",no id here,\n"
        b"3,some text,de\n"
        b'4,"\xff\xfe not utf-8",\n'
        b"5,a,b,c\n" + f'6,"{RISKY}",ru\n'.encode()
    )
    result = runner.invoke(app, ["ads", "score", str(source), "--out", str(target), "--json"])
    assert result.exit_code == 0, result.output
    assert [r[0] for r in _read(target)[1:]] == ["1", "6"]
    summary = orjson.loads(result.stdout)
    assert summary["rows"] == 2 and summary["risky"] == 1
    assert [(b["row"], b["column"]) for b in summary["bad"]] == [
        (2, "ad_id"),
        (3, "lang"),
        (4, "text"),
        (5, ""),
    ]
    assert "row 3, column lang" in result.stderr


def test_a_file_without_the_columns_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    source, target = tmp_path / "ads.csv", tmp_path / "out.csv"
    source.write_text("id,body\n1,x\n", encoding="utf-8")
    result = runner.invoke(app, ["ads", "score", str(source), "--out", str(target)])
    assert result.exit_code == 1
    assert "no column ad_id, text" in result.stderr
    assert not target.exists() and not (tmp_path / "out.csv.partial").exists()


def test_explain_prints_the_verdict_with_the_spans() -> None:
    result = runner.invoke(app, ["ads", "explain", RISKY])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("risky (risk ")
    assert "documents_retained" in result.stdout and "Паспорт сдаёте" in result.stdout
    start = RISKY.index("вычитаем")
    assert f"{start}-" in result.stdout


def test_explain_as_json_and_a_bad_language() -> None:
    result = runner.invoke(app, ["ads", "explain", RISKY, "--json"])
    data = orjson.loads(result.stdout)
    assert data["label"] == "risky" and data["lang"] == "ru"
    for item in data["indicators"]:
        assert [RISKY[a:b] for a, b in item["spans"]] == item["words"]
        assert item["description"]
    refused = runner.invoke(app, ["ads", "explain", RISKY, "--lang", "de"])
    assert refused.exit_code == 1 and "--lang" in refused.stderr


def test_explain_reads_standard_input_and_answers_empty_text() -> None:
    result = runner.invoke(app, ["ads", "explain", "-"], input="")
    assert result.exit_code == 0 and "benign" in result.stdout and "empty text" in result.stdout


def test_real_english_ads_of_emscad_are_scored(tmp_path: Path) -> None:
    """20 real ads of EMSCAD (tests/data/README.md): long texts, titles, no language given."""
    source = Path(__file__).resolve().parents[1] / "data" / "ads" / "emscad_sample.csv"
    target = tmp_path / "out.csv"
    result = runner.invoke(app, ["ads", "score", str(source), "--out", str(target), "--json"])
    assert result.exit_code == 0, result.output
    with source.open(encoding="utf-8", newline="") as fh:
        given = {row["ad_id"]: row for row in csv.DictReader(fh)}
    rows = _read(target)[1:]
    assert [r[0] for r in rows] == list(given)
    assert {r[4] for r in rows} == {"en"}
    flagged = [r for r in rows if r[2] == "risky"]
    assert all(r[3] for r in flagged)
    # Fraud in EMSCAD is mostly not trafficking: few are flagged, and no genuine ad is.
    assert all(given[r[0]]["fraudulent"] == "1" for r in flagged)


def test_collected_ads_are_screened_by_the_engine_and_the_risky_ones_listed(
    engine: Engine, database_url: str
) -> None:
    """``nitka ads collect`` screens with ``screen_ad``: the hostess ad for girls of
    18-25 reached by a messenger handle is flagged for review; the licensed agency's
    seasonal work is not."""
    env = {"NITKA_DATABASE_URL": database_url}
    source = Path(__file__).parents[1] / "ads" / "data" / "ads.csv"
    collected = runner.invoke(app, ["ads", "collect", str(source)], env=env)
    assert collected.exit_code == 0, collected.output
    listed = runner.invoke(app, ["ads", "review", "list", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    flagged = {row["title"]: row for row in orjson.loads(listed.stdout)}
    assert "Работа" in flagged and "Сезонна работа" not in flagged
    assert "targeted_young_women" in flagged["Работа"]["indicators"]
