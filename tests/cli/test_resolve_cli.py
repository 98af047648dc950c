"""``nitka resolve file IN.csv --out OUT.csv``: the fixed interface, end to end."""

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from nitka.cli.main import app
from tests.resolve.builders import mps, read_clusters, write_csv

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def people(tmp_path: Path) -> Path:
    rows = [["a", "Олександр Петренко", "1980-03-04", "КВ 123456"],
            ["b", "Aleksandr Petrenko", "1980-04-03", ""],
            ["c", "Олександр Петренко", "1955-01-30", ""],
            ["d", "Petrenko O.", "", "KB-123456"]]  # fmt: skip
    return write_csv(tmp_path / "in.csv", ["id", "name", "birthDate", "passportNumber"], rows)


def test_resolve_file_writes_id_and_cluster(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = runner.invoke(app, ["resolve", "file", str(people(tmp_path)), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert read_clusters(target) == [["id", "cluster"], ["a", "a"], ["b", "a"], ["c", "c"],
                                     ["d", "a"]]  # fmt: skip
    assert "4 records into 2 clusters" in result.output and "largest 3" in result.output


def test_resolve_file_as_json_and_the_default_output(tmp_path: Path) -> None:
    source = people(tmp_path)
    result = runner.invoke(app, ["resolve", "file", str(source), "--json", "--train", "never"])
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.stdout)
    assert summary["records"] == 4 and summary["clusters"] == 2 and summary["largest"] == 3
    assert summary["sizes"] == {"1": 1, "3": 1} and summary["trained"] is False
    assert summary["out"] == str(tmp_path / "in.clusters.csv")
    assert len(read_clusters(tmp_path / "in.clusters.csv")) == 5


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        ("name,birthDate\nIvan Petrenko,1980\n", 1, "id"),
        ("id,birthDate\n1,1980\n", 1, "name"),
        ("id,name\n1,Ivan Petrenko\n2,Olena Koval\n2,Olena K.\n", 4, "id"),
        ("id,name,birthDate\n1,Ivan Petrenko,1980\n2,Olena Koval,born [sometime]\n", 3,
         "birthDate"),
    ],
)  # fmt: skip
def test_bad_input_fails_naming_the_row_and_column_and_writes_nothing(
    tmp_path: Path, text: str, row: int, column: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "out.csv"
    result = runner.invoke(app, ["resolve", "file", str(source), "--out", str(target)])
    assert result.exit_code != 0
    message = " ".join(result.output.split())
    assert f"row {row}, column '{column}'" in message, message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_missing_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["resolve", "file", str(tmp_path / "none.csv")])
    assert result.exit_code != 0 and "does not exist" in " ".join(result.output.split())


def test_columns_that_are_not_person_properties_are_named(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", ["id", "name", "dob"], [["1", "Ivan", "1980"]])
    result = runner.invoke(app, ["resolve", "file", str(source), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "not linked on (no FtM Person property): dob" in " ".join(result.output.split())


def test_the_command_as_a_process(tmp_path: Path) -> None:
    rows = [[f"{i}{script}", mp[script], mp["birth_date"]]
            for i, mp in enumerate(mps()[:6]) for script in ("latin", "cyrillic")]  # fmt: skip
    source = write_csv(tmp_path / "mps.csv", ["id", "name", "birthDate"], rows)
    target = tmp_path / "clusters.csv"
    done = subprocess.run(
        [sys.executable, "-m", "nitka.cli.main", "resolve", "file", str(source), "--out",
         str(target)],
        capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src")},
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    clusters = dict(read_clusters(target)[1:])
    assert len(set(clusters.values())) == 6
    assert all(clusters[f"{i}latin"] == clusters[f"{i}cyrillic"] for i in range(6))
