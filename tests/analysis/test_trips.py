"""The trips projection and its queries (issue 23, point 1), on both databases: one row
per traveller with places and countries from the trip's addresses, bad trips rejected
by name, an erased traveller leaving at once, need-to-know, trips as a network, and
``nitka trips list``."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from nitka.access import retention
from nitka.analysis import network
from nitka.analysis.projection import catch_up, rejects_of
from nitka.analysis.travel import journeys, together
from nitka.analysis.trips import TripsProjection
from nitka.cli.main import app
from nitka.errors import FieldError
from nitka.model.statement import Provenance
from nitka.services import travel_queries
from nitka.services.guard import transaction
from nitka.store.tables import analysis_trip
from tests.analysis.records import raw_entity
from tests.helpers import make_entity, store_entities
from tests.services.people import INVESTIGATOR, OUTSIDER, cases_and_accounts

C1 = Provenance("npu", case="c1")
RECRUITER, DRIVER_1, DRIVER_2 = "p-recruiter", "p-driver-1", "p-driver-2"


def _store_trips(engine: Engine) -> None:
    """The recruiter sends two young men from Odesa to Istanbul on one trip he organises;
    one of them goes on to Izmir; a trip with no start and one ending before it starts."""
    store_entities(engine, [
        make_entity("Person", RECRUITER, name="Олександр Петренко"),
        make_entity("Person", DRIVER_1, name="Ivan Koval", gender="male"),
        make_entity("Person", DRIVER_2, name="Petro Savchuk", gender="male"),
        make_entity("Address", "addr-odesa", full="Одеса, вул. Пушкінська 5", country="ua"),
        make_entity("Address", "addr-istanbul", full="Istanbul, Esenler otogar", country="tr"),
        make_entity("Address", "addr-izmir", full="Izmir, Turkey"),
        make_entity("Trip", "trip-1", involved=[DRIVER_1, DRIVER_2], organizer=RECRUITER,
                    startLocation="addr-odesa", endLocation="addr-istanbul",
                    startDate="2024-05-01", endDate="2024-05-02"),
        make_entity("Trip", "trip-2", involved=DRIVER_1, startLocation="addr-istanbul",
                    endLocation="addr-izmir", startDate="2024-05-10"),
        raw_entity("Trip", "trip-nostart", involved=DRIVER_2, endLocation="addr-izmir"),
        raw_entity("Trip", "trip-backwards", involved=DRIVER_2, startDate="2024-06-10",
                   endDate="2024-06-01"),
    ], C1)  # fmt: skip


def _caught_up(engine: Engine) -> None:
    with engine.begin() as conn:
        catch_up(conn, TripsProjection())


def test_one_row_per_traveller_with_places_and_countries(engine: Engine) -> None:
    _store_trips(engine)
    _caught_up(engine)
    with engine.connect() as conn:
        found = journeys(conn, None)
        to_turkey = journeys(conn, None, destination_country="tr")
        driver = journeys(conn, None, traveller=DRIVER_1)
        rejects = {r.entity_id: (r.field, r.reason) for r in rejects_of(conn, "trips", None)}
    assert [(j.trip, j.traveller) for j in found] == [
        ("trip-1", DRIVER_1), ("trip-1", DRIVER_2), ("trip-2", DRIVER_1),
    ]  # fmt: skip
    first = found[0]
    assert (first.origin, first.origin_country) == ("Одеса, вул. Пушкінська 5", "ua")
    assert (first.destination_country, first.carrier) == ("tr", RECRUITER)
    assert found[2].destination == "Izmir, Turkey" and found[2].destination_country == "tr"
    assert len(to_turkey) == 3 and [j.trip for j in driver] == ["trip-1", "trip-2"]
    assert rejects["trip-nostart"][0] == "startDate" or rejects["trip-nostart"][0] == "date"
    assert rejects["trip-backwards"] == ("endDate", "the trip ends before it starts")


def test_travellers_together_make_a_network(engine: Engine) -> None:
    _store_trips(engine)
    _caught_up(engine)
    with engine.connect() as conn:
        pairs = {(a, b): n for a, b, n, _, _ in together(conn, None)}
        ties = network.ties(conn, "trips", None)
    assert pairs[DRIVER_1, DRIVER_2] == 1
    assert pairs[DRIVER_1, RECRUITER] == 1 and pairs[DRIVER_2, RECRUITER] == 1
    assert {(t.left, t.right) for t in ties} == {
        (DRIVER_1, DRIVER_2), (DRIVER_1, RECRUITER), (DRIVER_2, RECRUITER),
    }  # fmt: skip
    assert network.brokers(ties) == []  # a triangle has no go-between


def test_an_erased_traveller_leaves_the_trips_at_once(engine: Engine) -> None:
    _store_trips(engine)
    _caught_up(engine)
    with engine.begin() as conn:
        retention.erase(conn, DRIVER_2)
    with engine.connect() as conn:
        travellers = set(conn.execute(select(analysis_trip.c.traveller)).scalars())
    assert DRIVER_2 not in travellers and DRIVER_1 in travellers


def test_trips_follow_need_to_know(engine: Engine) -> None:
    cases_and_accounts(engine)
    _store_trips(engine)
    with transaction(engine) as conn:
        mine = travel_queries.journeys(conn, INVESTIGATOR, destination="Turkey")
        theirs = travel_queries.journeys(conn, OUTSIDER, destination="Turkey")
    assert len(mine) == 3 and theirs == []
    with transaction(engine) as conn, pytest.raises(FieldError) as bad:
        travel_queries.journeys(conn, INVESTIGATOR, destination="Atlantis")
    assert bad.value.field == "to"


def test_nitka_trips_list(engine: Engine, database_url: str) -> None:
    _store_trips(engine)
    runner = CliRunner()
    env = {"NITKA_DATABASE_URL": database_url}
    shown = runner.invoke(app, ["trips", "list", "--person", DRIVER_1, "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    rows = orjson.loads(shown.stdout)
    assert [(r["trip"], r["destination_country"]) for r in rows] == [
        ("trip-1", "tr"), ("trip-2", "tr"),
    ]  # fmt: skip
    table = runner.invoke(app, ["trips", "list", "--to", "TR"], env=env)
    assert table.exit_code == 0 and "Izmir" in table.stdout
    bad = runner.invoke(app, ["trips", "list", "--since", "May"], env=env)
    assert bad.exit_code != 0 and "--since" in bad.output
