"""INTERPOL red notices: real API responses, every accepted shape, bad notices by field."""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from followthemoney import EntityProxy
from sqlalchemy import Engine

from nitka.errors import BadRecord, IngestError, RecordError
from nitka.ingest.base import Converted
from nitka.ingest.interpol import InterpolConverter
from nitka.ingest.runner import ingest
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.store.reader import count_by_schema, count_statements, get_entity

NOTICE = {
    "entity_id": "2020/1",
    "forename": "OLENA",
    "name": "SHEVCHUK",
    "arrest_warrants": [{"issuing_country_id": "UA", "charge": "Trafficking in human beings"}],
}


def _notices(shared_data: Path, name: str = "red_notices_details.json") -> Path:
    return shared_data / "interpol_red_notices_sample" / name


def _entities(items: Iterable[Converted]) -> list[EntityProxy]:
    entities = list(items)
    assert all(isinstance(e, EntityProxy) for e in entities)
    return entities  # type: ignore[return-value]


def _convert(notice: dict[str, Any]) -> list[EntityProxy]:
    return _entities(InterpolConverter("unused.json", "i").convert(notice))


def _write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "notices.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_real_notice_becomes_a_wanted_person_and_its_warrant(shared_data: Path) -> None:
    converter = InterpolConverter(str(_notices(shared_data)), "interpol")
    number, notice = next(iter(converter.records()))
    person, sanction = _entities(converter.convert(notice))
    assert number == 1
    assert person.id == "interpol-red-2022-46614"
    assert person.get("name") == ["ADEL ABDALKADER AL AJEIL"]
    assert person.get("firstName") == ["ADEL ABDALKADER"]
    assert person.get("lastName") == ["AL AJEIL"]
    assert person.get("birthDate") == ["1999-01-23"]
    assert person.get("birthPlace") == ["Raqqa"]
    assert person.get("birthCountry") == ["sy"]
    assert person.get("nationality") == ["sy"]
    assert person.get("gender") == ["male"]
    assert person.get("height") == ["1.66"]
    assert person.get("weight") == []  # null in the notice
    assert person.get("topics") == ["wanted"]
    assert person.get("notes") == []
    assert person.get("sourceUrl") == ["https://ws-public.interpol.int/notices/v1/red/2022-46614"]
    assert sanction.get("entity") == [person.id]
    assert sanction.get("country") == ["se"]
    assert sanction.get("reason") == ["Murder"]
    assert sanction.get("authority") == ["INTERPOL"]
    assert sanction.get("program") == ["INTERPOL Red Notice"]
    assert sanction.get("authorityId") == ["2022/46614"]
    assert sanction.get("sourceUrl") == person.get("sourceUrl")
    assert converter.default_category is DataSubjectCategory.SUSPECT


def test_all_real_notices_convert(shared_data: Path) -> None:
    converter = InterpolConverter(str(_notices(shared_data)), "interpol")
    assert converter.count() == 204
    records = list(converter.records())
    assert [n for n, _ in records] == list(range(1, 205))
    entities = [e for _, notice in records for e in _entities(converter.convert(notice))]
    persons = [e for e in entities if e.schema.name == "Person"]
    sanctions = [e for e in entities if e.schema.name == "Sanction"]
    assert len(persons) == 204 and len(sanctions) == 206  # two notices have two warrants
    # The one warrant with a translation keeps the charge as written and in English.
    (translated,) = [s for s in sanctions if len(s.get("reason")) == 2]
    assert translated.get("country") == ["iq"]
    assert translated.get("reason")[1].startswith("Terrorist / Kidnapping and murder")
    # Russian-speaking Chechen suspects: FtM does not know Chechen, the code is kept.
    languages = {lang for p in persons for lang in p.get("spokenLanguage")}
    assert {"rus", "che", "lez"} <= languages
    # Eye colour codes as INTERPOL gives them; 0 height and weight mean unknown.
    assert {c for p in persons for c in p.get("eyeColor")} >= {"BROH", "BLA", "OTHD"}
    assert all(p.get("weight") != ["0"] and p.get("height") != ["0"] for p in persons)


def test_the_list_of_pages_of_summaries(shared_data: Path) -> None:
    converter = InterpolConverter(str(_notices(shared_data, "red_notices_list_pages.json")), "i")
    assert converter.count() == 204
    _, first = next(iter(converter.records()))
    (person,) = _entities(converter.convert(first))  # a summary has no warrants
    assert person.id == "interpol-red-2022-46614"
    assert person.get("birthDate") == ["1999-01-23"]


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param(NOTICE, id="one-notice"),
        pytest.param([NOTICE, NOTICE], id="list-of-notices"),
        pytest.param({"total": 2, "_embedded": {"notices": [NOTICE, NOTICE]}}, id="page"),
        pytest.param(
            [{"_embedded": {"notices": [NOTICE]}}, {"_embedded": {"notices": [NOTICE]}}],
            id="list-of-pages",
        ),
    ],
)
def test_every_shape_the_api_serves(tmp_path: Path, shape: object) -> None:
    converter = InterpolConverter(_write(tmp_path, shape), "i")
    records = list(converter.records())
    assert [n for n, _ in records] == list(range(1, len(records) + 1))
    assert converter.count() == len(records) >= 1
    person, sanction = _entities(converter.convert(records[0][1]))
    assert person.get("name") == ["OLENA SHEVCHUK"]
    assert sanction.get("country") == ["ua"]


def test_an_item_that_is_not_an_object_is_a_bad_record_in_its_place(tmp_path: Path) -> None:
    converter = InterpolConverter(_write(tmp_path, [NOTICE, "oops", NOTICE]), "i")
    records = list(converter.records())
    assert [n for n, _ in records] == [1, 2, 3]
    bad = records[1][1]
    assert isinstance(bad, BadRecord) and bad.error.field == "(json)"


@pytest.mark.parametrize(
    ("notice", "field"),
    [
        ({"forename": "A", "name": "B"}, "entity_id"),
        ({}, "entity_id"),
        ({"entity_id": "2020/1"}, "name"),
        ({"entity_id": "2020/1", "name": "B", "date_of_birth": "1999/13/45"}, "date_of_birth"),
        ({"entity_id": "2020/1", "name": "B", "sex_id": "X"}, "sex_id"),
        ({"entity_id": "2020/1", "name": "B", "nationalities": ["Atlantis"]}, "nationalities"),
        ({"entity_id": "2020/1", "name": "B", "height": "tall"}, "height"),
        ({"entity_id": "2020/1", "name": ["B"]}, "name"),
        (
            {"entity_id": "2020/1", "name": "B", "languages_spoken_ids": ["R"]},
            "languages_spoken_ids",
        ),
        ({"entity_id": "2020/1", "name": "B", "arrest_warrants": {}}, "arrest_warrants"),
        ({"entity_id": "2020/1", "name": "B", "arrest_warrants": ["x"]}, "arrest_warrants[1]"),
        (
            {"entity_id": "2020/1", "name": "B", "arrest_warrants": [{"issuing_country_id": "XX"}]},
            "arrest_warrants[1].issuing_country_id",
        ),
    ],
)
def test_bad_notices_name_the_field(notice: dict[str, Any], field: str) -> None:
    with pytest.raises(RecordError) as caught:
        _convert(notice)
    assert caught.value.field == field


def test_unknown_sex_gives_no_gender_and_codes_that_are_not_countries() -> None:
    notice = {
        **NOTICE,
        "sex_id": "U",
        "nationalities": ["UNK"],
        "languages_spoken_ids": ["ALB", "CHE"],
        "arrest_warrants": [{"issuing_country_id": "922", "charge": "Genocide"}],
    }
    person, sanction = _convert(notice)
    assert person.get("gender") == []
    assert person.get("nationality") == ["xk"]  # UNK: under UNMIK mandate (Kosovo)
    assert person.get("spokenLanguage") == ["sqi", "che"]  # ISO 639-2/B ALB is sqi
    assert sanction.get("country") == []
    assert sanction.get("authority")[0] == "INTERPOL"
    assert sanction.get("authority")[1].startswith("UN IRMCT")


@pytest.mark.parametrize(
    "content",
    [b"not json", b"{}", b"[]", b"", b"42", b'{"_embedded": {"notices": []}}', b"\xff\xfe{"],
)
def test_files_that_are_not_notices_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=str(path)):
        list(InterpolConverter(str(path), "i").records())


def test_a_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([NOTICE]).encode())
    assert len(list(InterpolConverter(str(path), "i").records())) == 1


def test_all_real_notices_ingest_and_again_change_nothing(
    engine: Engine, shared_data: Path
) -> None:
    converter = InterpolConverter(str(_notices(shared_data)), "interpol")
    provenance = Provenance(dataset="interpol", category=DataSubjectCategory.SUSPECT)
    report = ingest(engine, converter, provenance)
    assert report.records == 204 and report.rejected == 0
    with engine.connect() as conn:
        counts = count_by_schema(conn)
        before = count_statements(conn)
        person = get_entity(conn, "interpol-red-2022-46614")
    # The sample repeats 18 notices: the same notice is the same entity.
    assert counts["Person"] == 186 and counts["Sanction"] == 188
    assert person is not None and person.statements[0].category is DataSubjectCategory.SUSPECT
    assert person.proxy().get("birthDate") == ["1999-01-23"]
    again = ingest(engine, InterpolConverter(str(_notices(shared_data)), "interpol"), provenance)
    assert again.records == 204
    with engine.connect() as conn:
        assert count_statements(conn) == before
        assert count_by_schema(conn) == counts
