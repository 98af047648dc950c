"""``resolve_file`` through the service: id,cluster out, whole or not at all."""

from pathlib import Path

import pytest

from nitka.errors import IngestError
from nitka.resolve.records import RowError
from nitka.services.resolution import resolve_file
from tests.resolve.builders import mps, read_clusters, write_csv

HEADER = ["id", "name", "birthDate", "nationality", "passportNumber", "phone"]


class Recorder:
    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None]] = []
        self.steps = 0

    def stage(self, name: str, total: int | None = None) -> None:
        self.stages.append((name, total))

    def advance(self, steps: int = 1) -> None:
        self.steps += steps


def test_one_row_per_record_in_input_order_with_its_cluster(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "in.csv",
        HEADER,
        [
            ["p1", "Олександр Петренко", "1980-03-04", "UA", "", ""],
            ["p2", "Олена Коваль", "1991", "", "", "+380 67 123 4567"],
            ["p3", "PETRENKO OLEKSANDR", "04.03.1980", "Ukraine", "", ""],
            ["p4", "Olena Koval;Олена Коваль", "", "", "", "067 123 45 67"],
            ["p5", "Олександр Петренко", "1962-11-20", "UA", "", ""],
        ],
    )
    target = tmp_path / "out.csv"
    recorder = Recorder()
    found = resolve_file(source, target, progress=recorder)
    assert read_clusters(target) == [
        ["id", "cluster"],
        ["p1", "p1"],
        ["p2", "p2"],
        ["p3", "p1"],
        ["p4", "p2"],
        ["p5", "p5"],
    ]
    assert (found.records, found.clusters, found.largest) == (5, 3, 2)
    assert found.sizes == {2: 2, 1: 1} and found.links == 2 and not found.trained
    assert [name for name, _ in recorder.stages] == [
        "reading", "preparing", "scoring pairs", "clustering",
    ]  # fmt: skip
    assert recorder.steps == 10  # each record read, then prepared
    assert not (tmp_path / "out.csv.partial").exists()


def test_the_moldovan_mps_pair_up(tmp_path: Path) -> None:
    rows = []
    for i, mp in enumerate(mps()):
        rows.append([f"{i}-latin", mp["latin"], mp["birth_date"], "MD", "", ""])
        rows.append([f"{i}-cyrillic", mp["cyrillic"], mp["birth_date"], "", "", ""])
    source = write_csv(tmp_path / "mps.csv", HEADER, rows)
    found = resolve_file(source, tmp_path / "out.csv")
    clusters = dict(read_clusters(tmp_path / "out.csv")[1:])
    assert found.clusters == len(rows) // 2 and found.largest == 2
    for i in range(len(rows) // 2):
        assert clusters[f"{i}-latin"] == clusters[f"{i}-cyrillic"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("name\nIvan Petrenko\n", "in.csv, row 1, column 'id'"),
        ("id,nationality\n1,UA\n", "in.csv, row 1, column 'name'"),
        ("id,name\n1,Ivan\n2,Olena\n1,Ivan\n", "in.csv, row 4, column 'id'"),
        (
            "id,name,birthDate\n1,Ivan,1980\n2,Olena,1980-13-45\n",
            "in.csv, row 3, column 'birthDate'",
        ),
    ],
)
def test_a_bad_file_writes_nothing_and_leaves_an_old_output_alone(
    tmp_path: Path, text: str, says: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "out.csv"
    target.write_text("id,cluster\nold,old\n", encoding="utf-8")
    with pytest.raises(RowError) as caught:
        resolve_file(source, target)
    assert str(caught.value).startswith(str(source.with_name("in.csv")))
    assert says in str(caught.value)
    assert target.read_text(encoding="utf-8") == "id,cluster\nold,old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_a_file_that_is_not_text(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b"id,name\n1,\xff\xfe\n")
    with pytest.raises(IngestError, match="not UTF-8"):
        resolve_file(source, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_a_header_only_file_gives_a_header_only_output(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", HEADER, [])
    found = resolve_file(source, tmp_path / "out.csv")
    assert read_clusters(tmp_path / "out.csv") == [["id", "cluster"]]
    assert (found.records, found.clusters, found.largest) == (0, 0, 0)
