from pathlib import Path

import pytest
from sqlalchemy import Engine

from nitka.errors import RecordError
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import PoliceStatement, Provenance
from nitka.store.reader import count_by_schema, get_entity


def test_real_ftm_entities_are_ingested(engine: Engine, shared_data: Path) -> None:
    path = shared_data / "ftm_entities_samples" / "yente_zala_entities.ftm.jsonl"
    report = ingest(engine, FtMConverter(str(path), "zala"), Provenance(dataset="zala"))
    assert report.records == 91
    with engine.connect() as conn:
        counts = count_by_schema(conn)
        person = get_entity(conn, "NK-aU5ybkbRFJucf8YMwsJvDw")
    assert counts["Person"] == 6 and counts["Sanction"] == 41 and counts["Ownership"] == 14
    assert person is not None
    assert "Захаров Олександр В'ячеславович" in person.proxy().get("name")


def test_statement_lines_keep_their_own_police_fields(tmp_path: Path) -> None:
    line = {
        "entity_id": "p1",
        "canonical_id": "p1",
        "prop": "name",
        "schema": "Person",
        "value": "Марія",
        "dataset": "npu",
        "reliability": "B",
        "credibility": "2",
        "category": "victim",
        "handling": "H2",
        "case": "c-1",
        "assessment": False,
    }
    converter = FtMConverter(str(tmp_path / "x"), "other")
    (stmt,) = converter.convert(line)
    assert isinstance(stmt, PoliceStatement)
    assert stmt.dataset == "npu" and stmt.grading.code == "B2"
    assert stmt.category.value == "victim" and stmt.case == "c-1"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"category": "bystander"}, "category"),
        ({"handling": "H9"}, "handling"),
        ({"prop": "shoeSize"}, "prop"),
        ({"schema": "Spaceship"}, "schema"),
        ({"value": ""}, "value"),
        ({"entity_id": "p" * 256}, "entity_id"),
        ({"lang": "ukrainian-cyrillic-x"}, "lang"),
        ({"first_seen": "2026-11-23T10:00:00 in the morning, Kyiv time"}, "first_seen"),
        ({"case": 17}, "case"),
        ({"reliability": "Z"}, "reliability"),
        ({"credibility": 9}, "credibility"),
        ({"canonical_id": "c" * 256}, "canonical_id"),
        ({"dataset": ["npu"]}, "dataset"),
        ({"last_seen": "x" * 33}, "last_seen"),
        ({"author": "a" * 256}, "author"),
        ({"entity_id": None}, "entity_id"),
        ({"value": 17}, "value"),
        ({"value": "x" * 70_000}, "value"),
    ],
)
def test_bad_statement_lines_name_the_field(
    tmp_path: Path, patch: dict[str, object], field: str
) -> None:
    line: dict[str, object] = {
        "entity_id": "p1",
        "prop": "name",
        "schema": "Person",
        "value": "X",
        "dataset": "d",
    }
    line.update(patch)
    with pytest.raises(RecordError) as caught:
        list(FtMConverter(str(tmp_path / "x"), "d").convert(line))
    assert caught.value.field == field
