"""The screening API as yente's clients use it: nomenklatura's ``YenteEnricher``
unchanged against a running ``nitka serve``, on both stores.

It sends ``Authorization: ApiKey <token>`` and no ``X-Nitka-Purpose``: the
token's default purpose is what its checks are logged with.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from followthemoney import Dataset, StatementEntity
from nomenklatura.cache import Cache
from nomenklatura.db import Session
from nomenklatura.enrich.yente import YenteEnricher
from sqlalchemy import Engine, select
from sqlalchemy import create_engine as sqlalchemy_engine

from nitka.access.accounts import create_token
from nitka.access.audit import Outcome
from nitka.access.cases import add_case, add_member
from nitka.model.statement import Provenance
from nitka.store.tables import audit_log, check_log
from tests.helpers import make_entity, store_entities
from tests.web.serving import Service, serving

PURPOSE = "sanctions screening of new suppliers"
AKSYONOV = {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}


@pytest.fixture
def service(listed: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with serving(listed, database_url, tmp_path) as running:
        yield running


def officer_token(engine: Engine, purpose: str = PURPOSE) -> str:
    with engine.begin() as conn:
        return create_token(conn, "officer.k", label="enricher", purpose=purpose)


def enricher(service: Service, token: str, tmp_path: Path) -> YenteEnricher[Dataset]:
    dataset = Dataset.make({"name": "suppliers", "title": "Suppliers"})
    session = Session(sqlalchemy_engine(f"sqlite:///{tmp_path / 'enricher-cache.db'}"))
    cache = Cache(session, dataset, create=True)
    config: dict[str, Any] = {"api": f"{service.url}/", "api_key": token, "cache_days": 0}
    return YenteEnricher(dataset, cache, config)


def last_check(engine: Engine) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(check_log).order_by(check_log.c.id.desc()).limit(1)).one()


def test_yente_enricher_unchanged_finds_a_sanctioned_person_and_its_checks_carry_the_tokens_purpose(
    service: Service, listed: Engine, tmp_path: Path
) -> None:
    client = enricher(service, officer_token(listed), tmp_path)
    query = StatementEntity.from_data(
        client.dataset,
        {"id": "supplier-1", "schema": "Person", "properties": {"name": ["Сергей Аксёнов"]}},
    )
    matches = list(client.match(query))
    assert matches, "the enricher found no match"
    assert any("AKSYONOV" in m.caption.upper() for m in matches)
    row = last_check(listed)
    assert (row.user, row.purpose, row.channel) == ("officer.k", PURPOSE, "api:match")
    expanded = list(client.expand(query, matches[0]))
    assert expanded and expanded[0].id == matches[0].id


def test_a_requests_own_purpose_overrides_the_tokens(service: Service, listed: Engine) -> None:
    token = officer_token(listed)
    headers = {"Authorization": f"ApiKey {token}", "X-Nitka-Purpose": "border check, Chop"}
    answer = httpx.post(
        f"{service.url}/match/default", json={"queries": {"q": AKSYONOV}}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    assert last_check(listed).purpose == "border check, Chop"


def test_a_check_with_no_purpose_at_all_is_refused_and_the_refusal_recorded(
    service: Service, listed: Engine
) -> None:
    token = officer_token(listed, purpose="")
    answer = httpx.post(
        f"{service.url}/match/default",
        json={"queries": {"q": AKSYONOV}},
        headers={"Authorization": f"ApiKey {token}"},
    )
    assert answer.status_code == 400
    assert answer.json()["detail"]["field"] == "purpose"
    with listed.connect() as conn:
        refused = conn.execute(
            select(audit_log.c.actor, audit_log.c.action, audit_log.c.subject)
            .where(audit_log.c.outcome == Outcome.REFUSED.value)
            .order_by(audit_log.c.id.desc())
        ).first()
    assert refused is not None
    assert refused.actor == "officer.k" and refused.action == "check"
    assert "purpose" in refused.subject


INVALID = [
    ({"schema": "Banana", "properties": {"name": ["X"]}}, "queries.q.schema"),
    ({"schema": "Vessel", "properties": {"name": ["Mriya"]}}, "queries.q.schema"),
    (
        {"schema": "Person", "properties": {"name": ["X"], "birthDate": ["yesterday"]}},
        "queries.q.properties.birthDate",
    ),
    ({"schema": "Person", "properties": {"colour": ["red"]}}, "queries.q.properties.colour"),
]


def test_an_invalid_query_is_a_4xx_naming_the_query_and_field_never_an_empty_200(
    service: Service,
) -> None:
    for query, field in INVALID:
        answer = httpx.post(
            f"{service.url}/match/default",
            json={"queries": {"good": AKSYONOV, "q": query}},
            headers=service.officer,
        )
        assert answer.status_code == 422, answer.text
        detail = answer.json()["detail"]
        assert (detail["query"], detail["field"]) == ("q", field)


def test_a_service_with_no_list_says_so_instead_of_answering_no_match(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    with serving(listed, database_url, tmp_path, lists=()) as bare:
        answer = httpx.post(
            f"{bare.url}/match/default", json={"queries": {"q": AKSYONOV}}, headers=bare.officer
        )
        assert answer.status_code == 409, answer.text
        assert "--list" in answer.json()["detail"]["error"]
        screened = httpx.post(f"{bare.url}/screen", json=AKSYONOV, headers=bare.officer)
        assert screened.status_code == 409


def test_default_checks_every_loaded_list(service: Service) -> None:
    answer = httpx.post(
        f"{service.url}/match/default",
        json={"queries": {"q": AKSYONOV}},
        headers=service.officer,
    )
    results = answer.json()["responses"]["q"]["results"]
    assert results and results[0]["datasets"] == ["eu_sanctions_269_2014"]
    unknown = httpx.post(
        f"{service.url}/match/no_such_list",
        json={"queries": {"q": AKSYONOV}},
        headers=service.officer,
    )
    assert unknown.status_code == 404


def test_nested_entities_come_with_the_entity_under_need_to_know(
    service: Service, listed: Engine
) -> None:
    holder = make_entity("Person", "case-person", name="Oleksandr Petrenko")
    passport = make_entity("Passport", "case-passport", number="FA123456", holder="case-person")
    hidden = make_entity("Passport", "other-passport", number="FB999999", holder="case-person")
    with listed.begin() as conn:
        add_case(conn, "UA-1", by="test")
        add_case(conn, "UA-2", by="test")
        add_member(conn, "UA-1", "officer.k", by="test")
    store_entities(listed, [holder, passport], Provenance("police", case="UA-1"))
    store_entities(listed, [hidden], Provenance("police2", case="UA-2"))
    flat = httpx.get(f"{service.url}/entities/case-person", headers=service.officer).json()
    assert "identification" not in flat["properties"]
    assert flat["datasets"] == ["police"] and flat["referents"] == []
    answer = httpx.get(
        f"{service.url}/entities/case-person", params={"nested": "true"}, headers=service.officer
    )
    assert answer.status_code == 200, answer.text
    nested = answer.json()["properties"]["identification"]
    assert [item["id"] for item in nested] == ["case-passport"]
    assert nested[0]["properties"]["number"] == ["FA123456"]
    document = httpx.get(
        f"{service.url}/entities/case-passport", params={"nested": "true"}, headers=service.officer
    ).json()
    assert document["properties"]["holder"][0]["id"] == "case-person"
    assert (
        "FB999999"
        not in httpx.get(
            f"{service.url}/entities/case-person",
            params={"nested": "true"},
            headers=service.officer,
        ).text
    )
