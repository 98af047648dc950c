"""Need-to-know over real HTTP: every role, member or not, against suspects and victims."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from followthemoney import EntityProxy
from sqlalchemy import Engine

from nitka.access.accounts import add_account, create_token
from nitka.access.audit import iter_records, verify
from nitka.access.cases import add_case, add_member
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from tests.helpers import make_entity, store_entities
from tests.web.serving import Service, serving

PUBLIC, SUSPECT, VICTIM, OTHER_CASE = "p-public", "p-suspect", "p-victim", "p-other"
NAMES = {
    PUBLIC: "Ivan Franko",
    SUSPECT: "Oleh Bondar",
    VICTIM: "Maria Koval",
    OTHER_CASE: "Petro Zalizniak",
}
USERS = {
    # name: (role, member of case c1)
    "analyst.in": ("analyst", True),
    "investigator.in": ("investigator", True),
    "investigator.out": ("investigator", False),
    "liaison.in": ("liaison", True),
    "supervisor.in": ("supervisor", True),
    "auditor.a": ("auditor", True),
    "admin.a": ("administrator", True),
}
FULL, PLACEHOLDER, HIDDEN, FORBIDDEN = "full", "placeholder", "hidden", "forbidden"
EXPECTED = {
    # user: what they get of the public entry, the suspect, the victim (case c1), case c2
    "analyst.in": (FULL, FULL, PLACEHOLDER, HIDDEN),
    "investigator.in": (FULL, FULL, FULL, HIDDEN),
    "investigator.out": (FULL, HIDDEN, HIDDEN, HIDDEN),
    "liaison.in": (FULL, FULL, PLACEHOLDER, HIDDEN),
    "supervisor.in": (FULL, FULL, FULL, HIDDEN),
    "auditor.a": (FORBIDDEN,) * 4,
    "admin.a": (FORBIDDEN,) * 4,
}


def _store(engine: Engine) -> dict[str, dict[str, str]]:
    def person(entity_id: str) -> EntityProxy:
        return make_entity("Person", entity_id, name=NAMES[entity_id], birthDate="1990-01-01")

    store_entities(
        engine, [person(PUBLIC)], Provenance("wanted", category=DataSubjectCategory.SUSPECT)
    )
    store_entities(
        engine,
        [person(SUSPECT)],
        Provenance("npu", case="c1", category=DataSubjectCategory.SUSPECT),
    )
    store_entities(
        engine, [person(VICTIM)], Provenance("npu", case="c1", category=DataSubjectCategory.VICTIM)
    )
    store_entities(
        engine,
        [person(OTHER_CASE)],
        Provenance("npu", case="c2", category=DataSubjectCategory.SUSPECT),
    )
    headers = {}
    with engine.begin() as conn:
        add_case(conn, "c1", by="supervisor.in")
        add_case(conn, "c2", by="supervisor.in")
        for name, (role, member) in USERS.items():
            add_account(conn, name, role)
            if member:
                add_member(conn, "c1", name, by="supervisor.in")
            headers[name] = {"Authorization": f"Bearer {create_token(conn, name)}"}
    return headers


@pytest.fixture
def world(
    engine: Engine, database_url: str, tmp_path: Path
) -> Iterator[tuple[Service, dict[str, dict[str, str]]]]:
    headers = _store(engine)
    with serving(engine, database_url, tmp_path, lists=("wanted",)) as service:
        yield service, headers


def _seen(service: Service, headers: dict[str, str], entity_id: str) -> str:
    answer = httpx.get(f"{service.url}/entities/{entity_id}", headers=headers)
    if answer.status_code == 403:
        return FORBIDDEN
    if answer.status_code == 404:
        return HIDDEN
    assert answer.status_code == 200, answer.text
    body = answer.json()
    text = answer.text
    if body["protected"]:
        assert body["caption"] == "Protected person" and NAMES[entity_id] not in text
        assert body["properties"] == {} and "1990-01-01" not in text
        return PLACEHOLDER
    assert body["caption"] == NAMES[entity_id]
    return FULL


def test_the_access_matrix_has_no_leaks(
    world: tuple[Service, dict[str, dict[str, str]]], engine: Engine
) -> None:
    service, headers = world
    refusals = 0
    for user, expected in EXPECTED.items():
        seen = tuple(
            _seen(service, headers[user], e) for e in (PUBLIC, SUSPECT, VICTIM, OTHER_CASE)
        )
        assert seen == expected, user
        refusals += sum(1 for s in seen if s in (HIDDEN, FORBIDDEN))
        for entity_id, outcome in zip((PUBLIC, SUSPECT, VICTIM, OTHER_CASE), expected, strict=True):
            # Search finds exactly what show shows in full: a hidden or protected
            # name cannot be confirmed by searching for it.
            answer = httpx.get(
                f"{service.url}/search", params={"q": NAMES[entity_id]}, headers=headers[user]
            )
            if outcome == FORBIDDEN:
                assert answer.status_code == 403
                refusals += 1
                continue
            found = [r["id"] for r in answer.json()]
            assert (entity_id in found) == (outcome == FULL), (user, entity_id, found)
    with engine.connect() as conn:
        records = list(iter_records(conn))
        assert verify(conn).intact
    refused = [r for r in records if r.outcome == "refused"]
    assert len(refused) == refusals, "every refusal is in the audit trail"
