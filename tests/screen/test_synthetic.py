"""The SYNTHETIC document and vehicle generator: valid forms, reproducible, screenable."""

import re
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from nitka.cli.main import app
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.normalise.ids import normalise_identifier
from nitka.normalise.ids.mrz import parse_mrz
from nitka.normalise.ids.plates import plate_key
from nitka.normalise.ids.vin import parse_vin
from nitka.screen.checks import check, parse_query
from nitka.screen.lists import load_index
from nitka.screen.synthetic import documents, mrz_for, vehicles

UA_PLATE = re.compile(r"^[ABCEHIKMOPTX]{2} \d{4} [ABCEHIKMOPTX]{2}$")


def test_documents_are_reproducible_and_have_country_formats() -> None:
    first = [d.to_dict() for d in documents(500, seed=7)]
    assert first == [d.to_dict() for d in documents(500, seed=7)]
    assert first != [d.to_dict() for d in documents(500, seed=8)]
    countries = {d["properties"]["country"][0] for d in first}
    assert {"ua", "ru", "pl"} <= countries
    for record in first:
        number = record["properties"]["number"][0]
        if record["properties"]["country"] == ["ua"]:
            assert re.fullmatch(r"F[ABCEF]\d{6}|E[AB]\d{6}", number)
        assert record["properties"]["summary"] == [
            "SYNTHETIC record made by nitka.screen.synthetic"
        ]


def test_an_mrz_made_for_a_document_reads_back_with_valid_check_digits() -> None:
    for proxy in documents(200, seed=3):
        number = proxy.first("number")
        country = proxy.first("country")
        assert number is not None and country is not None
        mrz = parse_mrz(mrz_for(number, country, "Petrenko", "Olena", date(1990, 5, 17)))
        assert mrz.document_number == number and mrz.corrections == []
        assert mrz.birth_date == "1990-05-17"


def test_vehicles_have_valid_vins_and_plates() -> None:
    for proxy in vehicles(500, seed=5):
        vin, plate = proxy.get("registrationNumber")
        assert parse_vin(vin).vin == vin
        assert normalise_identifier("vin", vin) == vin
        if proxy.first("country") == "ua":
            assert UA_PLATE.match(plate), plate
        assert plate_key(plate)


def test_generated_lists_load_through_ingest_and_are_found(engine: Engine, tmp_path: Path) -> None:
    runner = CliRunner()
    docs, cars = tmp_path / "sltd.jsonl", tmp_path / "smv.jsonl"
    assert runner.invoke(app, ["generate", "documents", "300", str(docs)]).exit_code == 0
    assert runner.invoke(app, ["generate", "vehicles", "300", str(cars)]).exit_code == 0
    ingest(engine, FtMConverter(str(docs), "sltd"), Provenance("sltd"))
    ingest(engine, FtMConverter(str(cars), "smv"), Provenance("smv"))
    with engine.connect() as conn:
        index = load_index(conn, ["sltd", "smv"])
    assert len(index) == 0  # documents and vehicles stay in the store, looked up by key
    passport = next(documents(1))
    number, country = passport.first("number"), passport.first("country")
    query = {"schema": "Passport", "properties": {"number": [number], "country": [country]}}
    assert [h.entry.id for h in check(index, parse_query(query)).hits] == [passport.id]
    car = next(vehicles(1))
    plate = car.get("registrationNumber")[1]
    cyrillic = plate.translate(str.maketrans("ABCEHIKMOPTX", "АВСЕНІКМОРТХ"))
    query = {
        "schema": "Vehicle",
        "properties": {"registrationNumber": [cyrillic], "country": [car.first("country")]},
    }
    assert [h.entry.id for h in check(index, parse_query(query)).hits] == [car.id]
