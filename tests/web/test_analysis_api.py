"""The analysis queries over HTTP (``/analysis/...``, issue 23 point 7): the JSON of the
CLI's ``--json`` through the services, need-to-know (an outsider sees no row of case
c1), bad values as 400 naming the parameter, refusals as 403, a case not the
caller's as 404, every route in OpenAPI. The VAST call records and the AMLSim
payments of tests/data, in case c1. Both databases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from nitka.access.accounts import create_token
from nitka.model.statement import Provenance
from nitka.settings import Settings
from nitka.web.analysis_table import QUERIES
from nitka.web.app import create_app
from tests.analysis import schemes
from tests.analysis.records import ingest_amlsim_sample, ingest_vast_sample
from tests.services.people import (
    AUDITOR,
    INVESTIGATOR,
    OUTSIDER,
    cases_and_accounts,
    last_record,
)
from tests.web.serving import in_process

CASE = Provenance("vast2008", case="c1")


@pytest.fixture
def headers(engine: Engine) -> dict[str, dict[str, str]]:
    """The samples in case c1, and each user's API headers."""
    cases_and_accounts(engine)
    ingest_vast_sample(engine, CASE)
    ingest_amlsim_sample(engine, Provenance("amlsim", case="c1"))
    tokens = {}
    with engine.begin() as conn:
        for actor in (INVESTIGATOR, OUTSIDER, AUDITOR):
            token = create_token(conn, actor.name, label="tests")
            tokens[actor.name] = {"Authorization": f"Bearer {token}"}
    return tokens


@pytest.fixture
def client(engine: Engine) -> Iterator[httpx.Client]:
    with in_process(create_app(engine, (), Settings())) as running:
        yield running


def test_calls_common_answers_as_the_cli(
    engine: Engine, client: httpx.Client, headers: dict[str, dict[str, str]]
) -> None:
    me = headers[INVESTIGATOR.name]
    found = client.get("/analysis/calls/common", params={"numbers": ["200", "5"]}, headers=me)
    assert found.status_code == 200, found.text
    assert [(c["number"], c["calls"]) for c in found.json()] == [("1", 12), ("137", 9), ("97", 8)]
    assert found.json()[0]["with"] == {"200": 9, "5": 3}
    record = last_record(engine)
    assert (record["actor"], record["subject"]["calls"]) == (INVESTIGATOR.name, "common")
    assert record["result_size"] == 3 and record["entities"]
    in_case = client.get("/analysis/calls/top", params={"number": "200", "limit": 3,
                                                        "case": "c1"}, headers=me)  # fmt: skip
    assert [c["number"] for c in in_case.json()] == ["5", "1", "3"]


def test_flows_network_and_trips_answer(
    client: httpx.Client, headers: dict[str, dict[str, str]]
) -> None:
    me = headers[INVESTIGATOR.name]
    fan_in = client.get("/analysis/flows/fan-in", params={"min_sources": 2}, headers=me)
    assert fan_in.status_code == 200, fan_in.text
    assert fan_in.json() and {"collector", "sources"} <= set(fan_in.json()[0])
    cycles = client.get("/analysis/flows/cycles", headers=me)
    assert cycles.status_code == 200 and isinstance(cycles.json(), list)
    brokers = client.get("/analysis/network/brokers", params={"on": "calls", "limit": 3},
                         headers=me)  # fmt: skip
    assert brokers.status_code == 200, brokers.text
    assert len(brokers.json()) == 3 and "party" in brokers.json()[0]
    path = client.get("/analysis/network/path", params={"from": "200", "to": "5"}, headers=me)
    assert path.status_code == 200 and path.json()["parties"][0] == "200"
    related = client.get("/analysis/network/brokers", params={"on": "statements", "limit": 2},
                         headers=me)  # fmt: skip
    assert related.status_code == 200, related.text
    assert len(related.json()) == 2 and related.json()[0]["party"].startswith("phone:")
    timed = {"on": "statements", "since": "2024-01-01"}
    refused = client.get("/analysis/network/brokers", params=timed, headers=me)
    assert refused.status_code == 400 and refused.json()["detail"]["field"] == "since"
    trips = client.get("/analysis/trips/list", headers=me)
    assert trips.status_code == 200 and trips.json() == []


def test_an_outsider_sees_no_row_of_the_case(
    client: httpx.Client, headers: dict[str, dict[str, str]]
) -> None:
    outsider = headers[OUTSIDER.name]
    asked = {"numbers": ["200", "5"]}
    assert client.get("/analysis/calls/common", params=asked, headers=outsider).json() == []
    fan_in = client.get("/analysis/flows/fan-in", params={"min_sources": 2}, headers=outsider)
    assert fan_in.status_code == 200 and fan_in.json() == []
    brokers = client.get("/analysis/network/brokers", headers=outsider)
    assert brokers.json() == []
    not_mine = client.get("/analysis/calls/common", params={**asked, "case": "c1"},
                          headers=outsider)  # fmt: skip
    assert not_mine.status_code == 404 and not_mine.json()["detail"]["field"] == "case"


def test_bad_values_and_refusals(
    engine: Engine, client: httpx.Client, headers: dict[str, dict[str, str]]
) -> None:
    me = headers[INVESTIGATOR.name]
    bad_values: tuple[tuple[str, dict[str, Any], str], ...] = (
        ("/analysis/calls/chains", {"number": "200", "depth": 99}, "depth"),
        ("/analysis/calls/common", {"numbers": ["200", "not a number"]}, "numbers"),
        ("/analysis/flows/cycles", {"max_length": 1}, "max_length"),
        ("/analysis/flows/below-threshold", {"threshold": "lots"}, "threshold"),
        ("/analysis/network/brokers", {"on": "letters"}, "on"),
        ("/analysis/trips/list", {"since": "yesterday"}, "since"),
    )
    for path, params, field in bad_values:
        bad = client.get(path, params=params, headers=me)
        assert bad.status_code == 400, (path, bad.text)
        assert bad.json()["detail"]["field"] == field, bad.text
    refused = client.get("/analysis/flows/fan-in", headers=headers[AUDITOR.name])
    assert refused.status_code == 403
    assert last_record(engine)["outcome"] == "refused"
    assert client.get("/analysis/flows/fan-in").status_code == 401


def test_every_query_is_in_openapi(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for query in QUERIES.values():
        assert "get" in paths[query.path], query.path
    asked = {p["name"] for p in paths["/analysis/calls/colocated"]["get"]["parameters"]}
    assert {"number", "minutes", "from", "to", "limit", "case"} <= asked


def test_the_ready_queries_for_the_typologies(engine: Engine, client: httpx.Client) -> None:
    """``/analysis/typologies/...``: the parameters of ``nitka typology ...``, a list
    as commas, yes or no; the CLI's answer; a bad value a 400 naming it."""
    cases_and_accounts(engine)
    schemes.store_boat_drivers(engine)
    with engine.begin() as conn:
        me = {"Authorization": f"Bearer {create_token(conn, INVESTIGATOR.name, label='t')}"}
    found = client.get("/analysis/typologies/boat-drivers", headers=me)
    assert found.status_code == 200, found.text
    recruits = {f["entity"] for f in found.json() if f["role"] == "recruit"}
    assert recruits == set(schemes.RECRUITS)
    assert {"entity", "role", "group", "label", "reasons"} <= set(found.json()[0])
    asked: dict[str, str | int] = {"max_age": 70, "countries": "Turkey, LY", "paid_only": "no"}
    older = client.get("/analysis/typologies/boat-drivers", params=asked, headers=me)
    assert {f["entity"] for f in older.json() if f["role"] == "recruit"} == {*recruits, "p-old"}
    paid: dict[str, str | int] = {"paid_only": "yes", "min_recruits": 1}
    only_paid = client.get("/analysis/typologies/boat-drivers", params=paid, headers=me).json()
    assert {f["entity"] for f in only_paid if f["role"] == "recruit"} == {schemes.RECRUITS[0]}
    for params, field in (({"countries": "Atlantis"}, "countries"),
                          ({"min_age": 40, "max_age": 30}, "max_age")):  # fmt: skip
        bad = client.get("/analysis/typologies/boat-drivers", params=params, headers=me)
        assert bad.status_code == 400 and bad.json()["detail"]["field"] == field, bad.text
    for name in ("benefit-cards", "call-centre"):
        assert client.get(f"/analysis/typologies/{name}", headers=me).json() == []
