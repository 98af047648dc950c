"""The ready queries for the typologies (issue 23, point 5) on the small schemes of
``tests.analysis.schemes``, on both databases: who each finds and why, need-to-know
(another case's entity is not in the answer), bad parameters named, the audit
record, and ``nitka typology ...``."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from nitka.analysis.typologies import benefit_cards, boat_drivers, call_centre
from nitka.analysis.typologies.found import Found
from nitka.cli.main import app
from nitka.errors import FieldError
from nitka.services import typology_queries
from nitka.services.guard import transaction
from tests.analysis import schemes
from tests.services.people import INVESTIGATOR, OUTSIDER, cases_and_accounts, last_record


def _roles(found: list[Found]) -> dict[str, set[str]]:
    roles: dict[str, set[str]] = {}
    for item in found:
        roles.setdefault(item.role, set()).add(item.entity)
    return roles


def _reasons(found: list[Found], entity: str) -> list[str]:
    return [r for item in found if item.entity == entity for r in item.reasons]


def test_benefit_cards(engine: Engine) -> None:
    cases_and_accounts(engine)
    schemes.store_benefit_cards(engine)
    with transaction(engine) as conn:
        found = typology_queries.benefit_cards_query(conn, INVESTIGATOR)
    roles = _roles(found)
    assert roles == {
        "organiser": {schemes.ORGANISER},
        "trip": {schemes.TRIP},
        "collector": {schemes.COLLECTOR},
        "card": set(schemes.CARDS),
        "traveller": set(schemes.TRAVELLERS),
    }
    assert schemes.HIDDEN_TRAVELLER not in {f.entity for f in found}  # of case c2
    organiser = _reasons(found, schemes.ORGANISER)
    trip = "trip-warsaw (Odesa, Privokzalna 1 → Warszawa Zachodnia, 2024-05-01)"
    assert f"organised trip {trip} with 3 travellers" in organiser
    assert any("owns the collector UA213223130000026007233566001" in r for r in organiser)
    assert any("holds the card 4149000011112222" in r for r in organiser)
    card = _reasons(found, schemes.CARDS[0])
    assert any(r.startswith("paid 2 times (600.00 EUR) into the collector UA21") for r in card)
    assert any(r == "status 'refugee (temporary protection)'"
               for r in _reasons(found, schemes.TRAVELLERS[0]))  # fmt: skip
    collector = _reasons(found, schemes.COLLECTOR)
    assert collector[0].startswith("paid by the cards of 2 travellers of Ihor Melnyk")
    record = last_record(engine)
    assert schemes.ORGANISER in record["entities"] and "pay-card-t1-05" in record["entities"]


def test_benefit_cards_parameters(engine: Engine) -> None:
    cases_and_accounts(engine)
    schemes.store_benefit_cards(engine)
    refugees = benefit_cards.Parameters(refugee_only=True)
    two = benefit_cards.Parameters(refugee_only=True, min_travellers=2)
    with transaction(engine) as conn:
        assert typology_queries.benefit_cards_query(conn, INVESTIGATOR, refugees) == []
        found = typology_queries.benefit_cards_query(conn, INVESTIGATOR, two)
        assert typology_queries.benefit_cards_query(conn, OUTSIDER) == []
    assert _roles(found)["traveller"] == set(schemes.TRAVELLERS[:2])
    with transaction(engine) as conn, pytest.raises(FieldError) as bad:
        typology_queries.benefit_cards_query(
            conn, INVESTIGATOR, benefit_cards.Parameters(min_travellers=0)
        )
    assert bad.value.field == "min_travellers" and "--min-travellers" in str(bad.value)


def test_boat_drivers(engine: Engine) -> None:
    cases_and_accounts(engine)
    schemes.store_boat_drivers(engine)
    with transaction(engine) as conn:
        found = typology_queries.boat_drivers_query(conn, INVESTIGATOR)
        paid = typology_queries.boat_drivers_query(
            conn, INVESTIGATOR, boat_drivers.Parameters(paid_only=True, min_recruits=1)
        )
        older = typology_queries.boat_drivers_query(
            conn, INVESTIGATOR, boat_drivers.Parameters(max_age=70, countries=("Turkey",))
        )
    roles = _roles(found)
    number = "phone:" + schemes.RECRUITER_PHONE
    assert roles == {
        "recruiter-number": {number},
        "recruiter": {schemes.RECRUITER},
        "recruit": set(schemes.RECRUITS),
        "trip": {f"trip-ist-{n}" for n in (1, 2, 3)},
        "payment": {schemes.PAY_RECRUIT},
    }
    assert schemes.HIDDEN_RECRUIT not in {f.entity for f in found}  # of case c2
    recruit = _reasons(found, schemes.RECRUITS[0])
    assert "male, aged 24 on 2024-04-01" in recruit
    assert any(r.startswith("called by +380501110000 1 time, first on 2024-03-01") for r in recruit)
    assert any("30 days after the first call" in r for r in recruit)
    assert "from an account of the recruiter" in _reasons(found, schemes.PAY_RECRUIT)
    assert _roles(paid)["recruit"] == {schemes.RECRUITS[0]}
    assert _roles(older)["recruit"] == {*schemes.RECRUITS, "p-old"}  # a woman never


def test_boat_drivers_bad_parameters(engine: Engine) -> None:
    cases_and_accounts(engine)
    for params, field in (
        (boat_drivers.Parameters(min_age=40, max_age=30), "max_age"),
        (boat_drivers.Parameters(countries=("Atlantis",)), "countries"),
        (boat_drivers.Parameters(countries=()), "countries"),
    ):
        with transaction(engine) as conn, pytest.raises(FieldError) as bad:
            typology_queries.boat_drivers_query(conn, INVESTIGATOR, params)
        assert bad.value.field == field


def test_call_centre(engine: Engine) -> None:
    cases_and_accounts(engine)
    schemes.store_call_centre(engine)
    with transaction(engine) as conn:
        found = typology_queries.call_centre_query(conn, INVESTIGATOR)
        few = typology_queries.call_centre_query(
            conn, INVESTIGATOR, call_centre.Parameters(max_numbers=1)
        )
        outsider = typology_queries.call_centre_query(conn, OUTSIDER)
    roles = _roles(found)
    assert roles == {
        "collector": {schemes.CC},
        "calling-number": {"phone:" + n for n in schemes.CALLERS},
        "payer": set(schemes.PAYERS),
    }
    assert schemes.HIDDEN_PAYER not in {f.entity for f in found}  # of case c2
    payer = _reasons(found, schemes.PAYERS[0])
    assert payer == [
        "called by +37369123401 on 2024-03-08, then paid 200.00 EUR into the collector "
        "RO49AAAA1B31007593840000 (acc-cc) on 2024-03-10 (2 days later)"
    ]
    assert _reasons(found, schemes.CC)[0].startswith(
        "paid by 5 accounts (5 payments, 1,000.00 EUR)"
    )
    assert few == [] and outsider == []
    with transaction(engine) as conn, pytest.raises(FieldError) as bad:
        typology_queries.call_centre_query(
            conn, INVESTIGATOR, call_centre.Parameters(within_days=-1)
        )
    assert bad.value.field == "within_days"


def _cli(database_url: str, *args: str) -> Any:
    return CliRunner().invoke(app, ["typology", *args], env={"NITKA_DATABASE_URL": database_url})


def test_nitka_typology(engine: Engine, database_url: str) -> None:
    schemes.store_call_centre(engine)
    schemes.store_boat_drivers(engine)
    listed = _cli(database_url, "list", "--json")
    assert listed.exit_code == 0, listed.output
    names = {t["name"]: t for t in orjson.loads(listed.stdout)}
    assert set(names) == {"benefit-cards", "boat-drivers", "call-centre"}
    options = {p["option"]: p["default"] for p in names["boat-drivers"]["parameters"]}
    assert options["--countries"] == "TR,LY,EG" and options["--max-age"] == 35
    shown = _cli(database_url, "call-centre", "--case", "c1", "--json")
    assert shown.exit_code == 0, shown.output
    rows = orjson.loads(shown.stdout)
    assert {r["role"] for r in rows} == {"collector", "calling-number", "payer"}
    assert all(set(r) >= {"entity", "role", "reasons"} and r["reasons"] for r in rows)
    table = _cli(database_url, "boat-drivers", "--countries", "TR")
    assert table.exit_code == 0 and "recruiter-number" in table.stdout
    bad = _cli(database_url, "boat-drivers", "--min-age", "40", "--max-age", "30")
    assert bad.exit_code != 0 and "--max-age" in bad.output
    bad = _cli(database_url, "call-centre", "--min-payers", "0")
    assert bad.exit_code != 0 and "--min-payers" in bad.output
