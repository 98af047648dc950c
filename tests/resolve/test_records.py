"""Reading person records: multi-value cells; every bad input refused by row and column."""

import io

import pytest

from nitka.resolve.records import PersonRecord, RowError, full_names, read_persons


def read(text: str) -> list[PersonRecord]:
    return read_persons(io.StringIO(text), "in.csv").records


def refused(text: str) -> RowError:
    with pytest.raises(RowError) as caught:
        read(text)
    return caught.value


def test_cells_hold_several_values_separated_by_semicolons() -> None:
    (record,) = read(
        "id,name,birthDate,phone\n"
        "p1,Олександр Петренко; Oleksandr Petrenko ;,04.03.1980;1981,+380 67 123 4567\n"
    )
    assert record.id == "p1" and record.row == 2
    assert record.get("name") == ["Олександр Петренко", "Oleksandr Petrenko"]
    assert record.get("birthDate") == ["1980-03-04", "1981"]
    assert record.get("phone") == ["+380 67 123 4567"]


def test_name_parts_make_names_when_no_whole_name_is_given() -> None:
    (record,) = read("id,firstName,lastName\np1,Олександр;Oleksandr,Петренко;Petrenko\n")
    assert full_names(record) == [
        "Олександр Петренко",
        "Олександр Petrenko",
        "Oleksandr Петренко",
        "Oleksandr Petrenko",
    ]


def test_columns_that_are_no_person_property_are_named_not_linked() -> None:
    found = read_persons(io.StringIO("id,name,birthdate,truth\n1,Ivan Petrenko,1980,a\n"), "x")
    assert found.ignored == ["birthdate", "truth"]
    assert found.records[0].values == {"name": ["Ivan Petrenko"]}


def test_blank_rows_are_skipped_and_rows_are_counted_as_a_spreadsheet_shows_them() -> None:
    records = read("id,name\n1,Ivan Petrenko\n\n,\n2,Олена Коваль\n")
    assert [(r.id, r.row) for r in records] == [("1", 2), ("2", 5)]


@pytest.mark.parametrize(
    ("text", "row", "column", "says"),
    [
        ("", 1, "id", "empty"),
        ("name,birthDate\nIvan Petrenko,1980\n", 1, "id", "no column 'id'"),
        ("id,id,name\n1,1,Ivan\n", 1, "id", "more than one column 'id'"),
        ("id,birthDate,nationality\n1,1980,UA\n", 1, "name", "no name column"),
        ("id,name\n1,Ivan Petrenko\n2,Olena Koval\n1,Ivan P.\n", 4, "id", "already on row 2"),
        ("id,name\n1,Ivan Petrenko\n ,Olena Koval\n", 3, "id", "no id"),
        ("id,name,birthDate\n1,Ivan,1980-01-01\n2,Olena,31.02.1980\n", 3, "birthDate", "31.02"),
        ("id,name,birthDate\n1,Ivan,1980;yesterday\n", 2, "birthDate", "'yesterday'"),
        ("id,name,deathDate\n1,Ivan,someday\n", 2, "deathDate", "'someday'"),
        ("id,name\n1,Ivan,Petrenko\n", 2, "#3", "beyond the header"),
    ],
)
def test_a_bad_file_is_refused_naming_the_row_and_the_column(
    text: str, row: int, column: str, says: str
) -> None:
    error = refused(text)
    assert (error.record, error.field) == (row, column)
    assert says in error.message
    assert str(error).startswith(f"in.csv, row {row}, column {column!r}: ")
