import csv
from pathlib import Path

import orjson
import pytest
import yaml
from openpyxl import Workbook
from sqlalchemy import Engine, select

from nitka.demo import DATA
from nitka.errors import IngestError, RecordError
from nitka.ingest.base import ConverterOptions
from nitka.ingest.mapping import MappingConverter, load_queries
from nitka.ingest.runner import OnError, ingest
from nitka.model.statement import Provenance
from nitka.store.reader import count_by_schema, get_entity
from nitka.store.tables import statement

MAPPING = str(DATA / "eu_sanctions_persons.yml")
CSV_FILE = DATA / "eu_sanctions_269_2014_persons.csv"


def _converter(path: Path | str, mapping: str = MAPPING) -> MappingConverter:
    return MappingConverter(str(path), "eu", ConverterOptions(mapping=mapping))


def test_the_example_mapping_reads_the_real_eu_list(engine: Engine, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    report = ingest(
        engine,
        _converter(CSV_FILE),
        Provenance(dataset="eu"),
        on_error=OnError.REJECT,
        reject_path=str(rejects),
    )
    # Every listed person is kept. Birth dates like "10.2.1983 (or 10.3.1983)" or
    # "possibly 23.7.1981" and nationalities like "Ukrainian, Russian" are read;
    # only the four remarks "(the Union does not recognise passports issued by
    # the Russian Federation in Crimea)" are left out, each noted.
    assert (report.records, report.rejected, report.dropped_values) == (300, 0, 4)
    noted = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert {(r["field"], r["record_kept"]) for r in noted} == {("nationality", True)}
    assert all(r["value"].startswith("the Union does not recognise") for r in noted)
    with engine.connect() as conn:
        counts = count_by_schema(conn)
        names = conn.execute(
            select(statement.c.entity_id, statement.c.value).where(statement.c.prop == "alias")
        ).all()
        births = (
            conn.execute(select(statement.c.value).where(statement.c.prop == "birthDate"))
            .scalars()
            .all()
        )
    assert counts == {"Person": 300, "Sanction": 300}
    assert any(value == "Володимир Андрiйович КОНСТАНТИНОВ" for _, value in names)
    # "18.1.1970 or 29.3.1965" becomes two ISO dates, not a lost or blurred value.
    assert {"1970-01-18", "1965-03-29"} <= set(births)
    assert {"1983-02-10", "1983-03-10", "1981-07-23", "1964", "1964-04-21"} <= set(births)
    with engine.connect() as conn:
        gubarev = conn.execute(
            select(statement.c.entity_id)
            .where(statement.c.prop == "name", statement.c.value == "Pavel Yurievich GUBAREV")
            .distinct()
        ).scalar_one()
        person = get_entity(conn, gubarev)
    assert person is not None
    assert sorted(person.proxy().get("birthDate")) == ["1983-02-10", "1983-03-10"]


def _rows(count: int) -> list[dict[str, str]]:
    with CSV_FILE.open(encoding="utf-8") as fh:
        return [row for _, row in zip(range(count), csv.DictReader(fh), strict=False)]


def test_xlsx_gives_the_same_entities_as_csv(engine: Engine, tmp_path: Path) -> None:
    rows = _rows(5)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(list(rows[0].keys()))
    for row in rows:
        sheet.append(list(row.values()))
    xlsx = tmp_path / "eu.xlsx"
    book.save(xlsx)
    small_csv = tmp_path / "eu.csv"
    with small_csv.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    from_xlsx = [
        e.to_dict() for _, r in _converter(xlsx).records() for e in _converter(xlsx).convert(r)
    ]
    from_csv = [
        e.to_dict()
        for _, r in _converter(small_csv).records()
        for e in _converter(small_csv).convert(r)
    ]
    assert from_xlsx == from_csv and len(from_csv) == 10
    ingest(engine, _converter(xlsx), Provenance(dataset="eu"))
    with engine.connect() as conn:
        assert count_by_schema(conn) == {"Person": 5, "Sanction": 5}
        assert get_entity(conn, from_csv[0]["id"]) is not None


def test_a_bad_date_in_a_mapped_column_names_the_row_and_column(tmp_path: Path) -> None:
    rows = _rows(3)
    rows[1]["birthDate"] = "31.02.1970"
    path = tmp_path / "bad.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    converter = _converter(path)
    with pytest.raises(RecordError) as caught:
        for number, record in converter.records():
            try:
                list(converter.convert(record))
            except RecordError as exc:
                raise exc.located(path, number) from None
    assert (caught.value.record, caught.value.field) == (2, "birthDate")


def test_a_csv_in_the_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.csv"
    path.write_bytes("name,birthDate\nIvan,1980\nОлена,1981\n".encode("cp1251"))
    with pytest.raises(RecordError) as caught:
        list(_converter(path).records())
    assert (caught.value.record, caught.value.field) == (3, "(encoding)")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just: text\n", "no mapping queries"),
        ("entities:\n  p:\n    schema: Spaceship\n", "invalid mapping"),
        ("entities: [unclosed\n", "not a readable YAML"),
    ],
)
def test_a_bad_mapping_file_is_refused(tmp_path: Path, text: str, message: str) -> None:
    mapping = tmp_path / "m.yml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=message):
        _converter(CSV_FILE, str(mapping))


def test_a_mapping_column_missing_from_the_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("full_name\nIvan\n", encoding="utf-8")
    converter = _converter(path)
    ((_, record),) = list(converter.records())
    with pytest.raises(RecordError) as caught:
        list(converter.convert(record))
    assert caught.value.field in {"name", "programKey", "recordId"}


def test_a_mapping_cannot_make_ingest_read_another_file(engine: Engine, tmp_path: Path) -> None:
    """Path traversal through a mapping's ``csv_url``: only the file given is read."""
    secret = tmp_path / "secret.csv"
    secret.write_text("Name,Birth date\nHidden Person,1970-01-01\n", encoding="utf-8")
    mapping = tmp_path / "traversal.yml"
    data_set = yaml.safe_load((DATA / "eu_sanctions_persons.yml").read_text(encoding="utf-8"))
    for query in data_set["eu_sanctions"]["queries"]:
        query["csv_url"] = f"file://{tmp_path}/../{tmp_path.name}/secret.csv"
    mapping.write_text(yaml.safe_dump(data_set), encoding="utf-8")
    assert {getattr(q.source, "urls", None) == {f"file://{tmp_path}/../{tmp_path.name}/secret.csv"}
            for q in load_queries(str(mapping), "eu")} == {True}  # fmt: skip
    data = tmp_path / "given.csv"
    with CSV_FILE.open(encoding="utf-8") as fh:
        data.write_text("".join(fh.readline() for _ in range(4)), encoding="utf-8")
    report = ingest(
        engine,
        _converter(data, str(mapping)),
        Provenance(dataset="eu"),
        on_error=OnError.REJECT,
        reject_path=str(tmp_path / "rejects.jsonl"),
    )
    assert report.records == 3
    with engine.connect() as conn:
        values = conn.execute(select(statement.c.value)).scalars().all()
    assert values and "Hidden Person" not in values
