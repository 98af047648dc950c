"""Checks against watch lists loaded from the store: hits, caveats, updates, bad queries."""

from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine

from nitka.ingest.ftm import FtMConverter
from nitka.ingest.interpol import InterpolConverter
from nitka.ingest.runner import ingest
from nitka.model.handling import HandlingCode
from nitka.model.statement import Provenance
from nitka.screen.checks import QueryError, check, parse_query
from nitka.screen.index import ScreeningIndex
from nitka.screen.lists import load_index, refresh
from nitka.screen.withdrawals import WithdrawalError, WithdrawalKind, record
from tests.helpers import WATCH_LISTS as LISTS


@pytest.fixture
def index(listed: Engine) -> ScreeningIndex:
    with listed.connect() as conn:
        return load_index(conn, LISTS)


def _person(**properties: list[str]) -> dict[str, object]:
    return {"schema": "Person", "properties": properties}


def test_a_ukrainian_spelling_finds_the_listed_latin_and_russian_names(
    index: ScreeningIndex,
) -> None:
    query = parse_query(_person(name=["Сергій Аксьонов"], birthDate=["1972-11-26"]))
    result = check(index, query)
    assert result.is_hit
    best = result.hits[0]
    assert best.entry.caption.upper().endswith("AKSYONOV")
    assert best.entry.lists == ("eu_sanctions_269_2014",)
    assert any("birthDate" in line and "exact" in line for line in best.explanation)


def test_a_conflicting_birth_date_is_no_hit(index: ScreeningIndex) -> None:
    query = parse_query(_person(name=["Sergey Aksyonov"], birthDate=["1990-01-01"]))
    assert not check(index, query).is_hit


def test_a_red_notice_hit_names_the_notice_and_its_caveats(index: ScreeningIndex) -> None:
    query = parse_query(_person(name=["Adel Abdalkader Al Ajeil"], birthDate=["1999"]))
    result = check(index, query)
    assert result.is_hit
    entry = result.hits[0].entry
    assert entry.lists == ("interpol_red_notices",)
    assert any(record.startswith("interpol_red_notices.json:") for record in entry.records)
    assert entry.handling is HandlingCode.H3
    assert "restriction: tell the NCB of the requesting country before acting" in entry.caveats


def test_an_unknown_person_is_no_hit(index: ScreeningIndex) -> None:
    query = parse_query(_person(name=["Олена Ковальчук"], birthDate=["1991-05-05"]))
    assert not check(index, query).is_hit


def test_a_notice_added_or_removed_takes_effect_without_a_rebuild(
    listed: Engine, index: ScreeningIndex, tmp_path: Path
) -> None:
    query = parse_query(_person(name=["Petro Zalizniak"], birthDate=["1980-02-03"]))
    assert not check(index, query).is_hit
    notice = {
        "entity_id": "2026/99999",
        "forename": "PETRO",
        "name": "ZALIZNIAK",
        "date_of_birth": "1980/02/03",
        "nationalities": ["UA"],
        "sex_id": "M",
        "arrest_warrants": [{"issuing_country_id": "UA", "charge": "Trafficking in persons"}],
    }
    path = tmp_path / "new_notice.json"
    path.write_bytes(orjson.dumps([notice]))
    ingest(listed, InterpolConverter(str(path), LISTS[0]), Provenance(LISTS[0]))
    with listed.connect() as conn:
        before = len(index)
        refresh(conn, index, ["interpol-red-2026-99999"], LISTS)
    assert len(index) == before + 1
    hit = check(index, query).hits[0]
    index.remove(hit.entry.id)
    assert not check(index, query).is_hit


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"schema": "Spaceship", "properties": {"name": ["X"]}}, "schema"),
        ({"schema": "Person", "properties": {}}, "properties"),
        (_person(name=["   "]), "properties.name"),
        (_person(shoeSize=["44"]), "properties.shoeSize"),
        (_person(name=["Ivan Petrenko"], birthDate=["1984-13-45"]), "properties.birthDate"),
        (_person(name=["Ivan Petrenko"], birthDate=["1985-02-29"]), "properties.birthDate"),
        (_person(birthDate=["1984"]), "properties.name"),
        (
            {"schema": "Vehicle", "properties": {"model": ["Skoda"]}},
            "properties.registrationNumber",
        ),
        ({"schema": "Passport", "properties": {"country": ["ua"]}}, "properties.number"),
        ("Ivan Petrenko", "."),
    ],
)
def test_a_bad_query_names_its_field(query: object, field: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert caught.value.field == field


def test_dates_are_taken_as_documents_and_officers_write_them() -> None:
    for written, kept in (("1984-02-29", "1984-02-29"), ("29.02.1984", "1984-02-29")):
        query = parse_query(_person(name=["Ivan Petrenko"], birthDate=[written]))
        assert query.get("birthDate") == [kept]


def test_a_stolen_passport_is_found_from_its_mrz(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "sltd.ftm.jsonl"
    passport = {
        "id": "sltd-uto-l898902c3",
        "schema": "Passport",
        "properties": {"number": ["L898902C3"], "country": ["de"], "type": ["stolen"]},
    }
    path.write_bytes(orjson.dumps(passport) + b"\n")
    ingest(engine, FtMConverter(str(path), "sltd"), Provenance("sltd"))
    with engine.connect() as conn:
        index = load_index(conn, ["sltd"])
    mrz = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8989O2C36UTO7408122F1204159ZE184226B<<<<<10"
    )
    result = check(index, parse_query({"schema": "Passport", "properties": {"mrz": [mrz]}}))
    assert [hit.entry.id for hit in result.hits] == ["sltd-uto-l898902c3"]
    with pytest.raises(QueryError) as caught:
        parse_query(
            {"schema": "Passport", "properties": {"mrz": [mrz.replace("7408122", "7408132")]}}
        )
    assert caught.value.field == "properties.mrz.line2.birth_date.check_digit"


def test_a_withdrawn_notice_stops_hitting_and_a_reinstated_one_hits_again(
    listed: Engine, index: ScreeningIndex
) -> None:
    query = parse_query(_person(name=["Adel Abdalkader Al Ajeil"], birthDate=["1999"]))
    entry_id = check(index, query).hits[0].entry.id
    with listed.begin() as conn:
        record(
            conn,
            WithdrawalKind.WITHDRAW,
            entry_id,
            LISTS[0],
            user="ncb.kyiv",
            reason="notice cancelled by the requesting country",
        )
    with listed.connect() as conn:
        refresh(conn, index, [entry_id], LISTS)
        assert not check(index, query).is_hit
        assert entry_id not in load_index(conn, LISTS).entries
    with listed.begin() as conn:
        record(conn, WithdrawalKind.REINSTATE, entry_id, LISTS[0], user="ncb", reason="error")
    with listed.connect() as conn:
        refresh(conn, index, [entry_id], LISTS)
    assert check(index, query).hits[0].entry.id == entry_id
    with pytest.raises(WithdrawalError) as caught, listed.begin() as conn:
        record(conn, WithdrawalKind.WITHDRAW, entry_id, LISTS[0], user="ncb", reason=" ")
    assert caught.value.field == "reason"
