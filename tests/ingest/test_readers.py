"""Reading CSV files: a quote left open is named where it opened."""

from pathlib import Path

import pytest

from nitka.errors import RecordError
from nitka.ingest.readers import read_csv

HEADER = "From,To,Datetime,Duration(seconds),Cell Tower"


def _rows(tmp_path: Path, *lines: str) -> list[tuple[int, dict[str, str]]]:
    path = tmp_path / "calls.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return list(read_csv(str(path)))


def test_a_quote_left_open_names_the_line_and_column_where_it_opened(tmp_path: Path) -> None:
    with pytest.raises(RecordError) as caught:
        _rows(
            tmp_path,
            "349,23,20060601 0008,10,1",
            '350,"24,20060601 0009,10,1',
            "351,25,20060601 0010,10,1",
            "352,26,20060601 0011,10,1",
        )
    error = caught.value
    assert (error.record, error.field) == (2, "To")
    assert "a quote opened on line 3 in column 'To'" in error.message
    assert "phone" not in error.message


def test_a_quote_left_open_on_the_last_line_is_named_too(tmp_path: Path) -> None:
    with pytest.raises(RecordError) as caught:
        _rows(tmp_path, "349,23,20060601 0008,10,1", '350,24,20060601 0009,10,"1')
    assert (caught.value.record, caught.value.field) == (2, "Cell Tower")
    assert "line 3" in caught.value.message


def test_a_quoted_value_over_several_lines_is_one_value(tmp_path: Path) -> None:
    rows = _rows(tmp_path, '349,23,20060601 0008,10,"Tower 1\nnear the station"', "350,24,x,1,2")
    assert [number for number, _ in rows] == [1, 2]
    assert rows[0][1]["Cell Tower"] == "Tower 1\nnear the station"
