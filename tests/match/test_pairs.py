"""``nitka match pairs`` and ``nitka match names``: the fixed evaluation format."""

import csv
from pathlib import Path

import orjson
from typer.testing import CliRunner

from nitka.cli.main import app

runner = CliRunner()


def _scores(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_pairs_with_a_header_and_extra_columns(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,name1,name2,label\n"
        "1,Олександр Петренко,Aleksandr Petrenko,true\n"
        '2,"Petrenko, Oleksandr",Олена Коваль,false\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.csv"
    result = runner.invoke(app, ["match", "pairs", str(source), str(target)])
    assert result.exit_code == 0, result.output
    rows = _scores(target)
    assert rows[0] == ["name1", "name2", "score"]
    assert rows[1][:2] == ["Олександр Петренко", "Aleksandr Petrenko"]
    assert rows[2][:2] == ["Petrenko, Oleksandr", "Олена Коваль"]
    assert float(rows[1][2]) >= 0.7 > float(rows[2][2]) >= 0.0


def test_pairs_without_a_header(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("Olaf Scholz,Olaf Schloz\nOlaf Scholz,Angela Merkel\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    assert runner.invoke(app, ["match", "pairs", str(source), str(target)]).exit_code == 0
    rows = _scores(target)
    assert [r[:2] for r in rows[1:]] == [
        ["Olaf Scholz", "Olaf Schloz"],
        ["Olaf Scholz", "Angela Merkel"],
    ]
    assert float(rows[1][2]) >= 0.7 > float(rows[2][2])


def test_a_short_row_is_named_and_no_output_is_left(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name1,name2\nOlaf Scholz,Olaf Scholz\nAngela Merkel\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    result = runner.invoke(app, ["match", "pairs", str(source), str(target)])
    assert result.exit_code == 1
    assert "record 3" in result.output and "'name2'" in result.output
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("Олена,Olena\n".encode("cp1251"))
    result = runner.invoke(app, ["match", "pairs", str(source), str(tmp_path / "out.csv")])
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["match", "pairs", str(source), str(tmp_path / "out.csv")])
    assert result.exit_code == 1 and "empty" in result.output


def test_names_explains_the_score() -> None:
    result = runner.invoke(app, ["match", "names", "Petrenko O.", "Олександр Петренко", "--json"])
    assert result.exit_code == 0, result.output
    data = orjson.loads(result.output)
    assert data["match"] is True
    assert "o / олександр: initial (0.70)" in data["explanation"]
