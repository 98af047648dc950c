from pathlib import Path

import pytest
from sqlalchemy import Engine

from nitka.ingest.errors import IngestError, RecordError
from nitka.ingest.interpol import InterpolConverter
from nitka.ingest.runner import ingest
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.store.reader import count_by_schema, count_statements, get_entity


def _notices(shared_data: Path, name: str = "red_notices_details.json") -> Path:
    return shared_data / "interpol_red_notices_sample" / name


def test_a_real_notice_becomes_a_wanted_person_and_its_warrant(shared_data: Path) -> None:
    converter = InterpolConverter(str(_notices(shared_data)), "interpol")
    number, notice = next(iter(converter.records()))
    person, sanction = converter.convert(notice)
    assert number == 1
    assert person.get("name") == ["ADEL ABDALKADER AL AJEIL"]  # type: ignore[union-attr]
    assert person.get("birthDate") == ["1999-01-23"]  # type: ignore[union-attr]
    assert person.get("nationality") == ["sy"]  # type: ignore[union-attr]
    assert person.get("topics") == ["wanted"]  # type: ignore[union-attr]
    assert sanction.get("country") == ["se"]  # type: ignore[union-attr]
    assert sanction.get("reason") == ["Murder"]  # type: ignore[union-attr]
    assert sanction.get("entity") == [person.id]  # type: ignore[union-attr]
    assert converter.default_category is DataSubjectCategory.SUSPECT


def test_pages_of_summaries_are_read_too(shared_data: Path) -> None:
    converter = InterpolConverter(str(_notices(shared_data, "red_notices_list_pages.json")), "i")
    assert converter.count() == 204


@pytest.mark.parametrize(
    ("notice", "field"),
    [
        ({"forename": "A", "name": "B"}, "entity_id"),
        ({"entity_id": "2020/1", "name": "B", "date_of_birth": "1999/13/45"}, "date_of_birth"),
        ({"entity_id": "2020/1", "name": "B", "sex_id": "X"}, "sex_id"),
        (
            {"entity_id": "2020/1", "arrest_warrants": [{"issuing_country_id": "Atlantis"}]},
            "arrest_warrants[1].issuing_country_id",
        ),
    ],
)
def test_bad_notices_name_the_field(tmp_path: Path, notice: dict[str, object], field: str) -> None:
    with pytest.raises(RecordError) as caught:
        list(InterpolConverter(str(tmp_path / "x.json"), "i").convert(notice))
    assert caught.value.field == field


@pytest.mark.parametrize("content", [b"not json", b"{}", b""])
def test_files_that_are_not_notices_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(IngestError):
        list(InterpolConverter(str(path), "i").records())


def test_all_real_notices_ingest_and_again_change_nothing(
    engine: Engine, shared_data: Path
) -> None:
    converter = InterpolConverter(str(_notices(shared_data)), "interpol")
    provenance = Provenance(dataset="interpol", category=DataSubjectCategory.SUSPECT)
    report = ingest(engine, converter, provenance)
    assert report.records == 204
    with engine.connect() as conn:
        counts = count_by_schema(conn)
        before = count_statements(conn)
        person = get_entity(conn, "interpol-red-2022-46614")
    # The sample repeats 18 notices: the same notice is the same entity.
    assert counts["Person"] == 186 and counts["Sanction"] == 188
    assert person is not None and person.statements[0].category is DataSubjectCategory.SUSPECT
    ingest(engine, InterpolConverter(str(_notices(shared_data)), "interpol"), provenance)
    with engine.connect() as conn:
        assert count_statements(conn) == before
