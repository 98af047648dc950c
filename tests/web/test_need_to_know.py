"""Need-to-know, as an attacker would probe it: every role, member or not, against
suspects, victims, another case's data, a list shared with another unit, and H2
and H3 data; through the API's show, search and screening, and through the CLI's
show, search and export. Zero leaks, and every refusal in the audit trail."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from followthemoney import EntityProxy
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from nitka.access.accounts import add_account, create_token
from nitka.access.audit import iter_records, verify
from nitka.access.cases import add_case, add_member
from nitka.access.shares import share_list
from nitka.cli.main import app
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import Provenance
from tests.helpers import make_entity, store_entities
from tests.web.serving import Service, serving

PUBLIC, SUSPECT, VICTIM, OTHER_CASE = "p-public", "p-suspect", "p-victim", "p-other"
MISSING, SHARED = "p-missing", "p-shared"
ENTITIES = (PUBLIC, SUSPECT, VICTIM, OTHER_CASE, MISSING, SHARED)
NAMES = {
    PUBLIC: "Ivan Franko",
    SUSPECT: "Oleh Bondar",
    VICTIM: "Maria Koval",
    OTHER_CASE: "Petro Zalizniak",
    MISSING: "Olena Teliha",
    SHARED: "Taras Shevchuk",
}
RESTRICTION = "not to be shown to the suspect's employer"
LISTS = ("wanted", "missing", "wanted-kyiv", "npu")
USERS = {
    # name: (role, member of case c1, unit)
    "analyst.in": ("analyst", True, "u-kyiv"),
    "investigator.in": ("investigator", True, "u-kyiv"),
    "investigator.out": ("investigator", False, "u-kyiv"),
    "liaison.in": ("liaison", True, "u-odesa"),
    "supervisor.in": ("supervisor", True, "u-kyiv"),
    "auditor.a": ("auditor", True, "u-kyiv"),
    "admin.a": ("administrator", True, "u-kyiv"),
}
FULL, PLACEHOLDER, HIDDEN, FORBIDDEN = "full", "placeholder", "hidden", "forbidden"
EXPECTED = {
    # user: what they get of the entities, in the order of ENTITIES
    "analyst.in": (FULL, FULL, PLACEHOLDER, HIDDEN, PLACEHOLDER, FULL),
    "investigator.in": (FULL, FULL, FULL, HIDDEN, FULL, FULL),
    "investigator.out": (FULL, HIDDEN, HIDDEN, HIDDEN, FULL, FULL),
    "liaison.in": (FULL, FULL, PLACEHOLDER, HIDDEN, PLACEHOLDER, HIDDEN),
    "supervisor.in": (FULL, FULL, FULL, HIDDEN, FULL, FULL),
    "auditor.a": (FORBIDDEN,) * 6,
    "admin.a": (FORBIDDEN,) * 6,
}


def _store(engine: Engine) -> dict[str, dict[str, str]]:
    def person(entity_id: str) -> list[EntityProxy]:
        return [make_entity("Person", entity_id, name=NAMES[entity_id], birthDate="1990-01-01")]

    suspect, victim = DataSubjectCategory.SUSPECT, DataSubjectCategory.VICTIM
    h3 = Provenance("wanted", category=suspect, handling=HandlingCode.H3, handling_note=RESTRICTION)
    store_entities(engine, person(PUBLIC), h3)
    store_entities(
        engine,
        person(SUSPECT),
        Provenance("npu", case="c1", category=suspect, handling=HandlingCode.H2),
    )
    store_entities(engine, person(VICTIM), Provenance("npu", case="c1", category=victim))
    store_entities(engine, person(OTHER_CASE), Provenance("npu", case="c2", category=suspect))
    store_entities(engine, person(MISSING), Provenance("missing", category=victim))
    store_entities(engine, person(SHARED), Provenance("wanted-kyiv", category=suspect))
    headers = {}
    with engine.begin() as conn:
        add_case(conn, "c1", by="supervisor.in")
        add_case(conn, "c2", by="supervisor.in")
        for name, (role, member, unit) in USERS.items():
            add_account(conn, name, role, unit_id=unit)
            if member:
                add_member(conn, "c1", name, by="supervisor.in")
            headers[name] = {"Authorization": f"Bearer {create_token(conn, name)}"}
        share_list(conn, "wanted-kyiv", "u-kyiv", by="supervisor.in")
    return headers


@pytest.fixture
def world(
    engine: Engine, database_url: str, tmp_path: Path
) -> Iterator[tuple[Service, dict[str, dict[str, str]]]]:
    headers = _store(engine)
    with serving(engine, database_url, tmp_path, lists=LISTS) as service:
        yield service, headers


def _judge(entity_id: str, body: dict[str, Any], text: str) -> str:
    """FULL or PLACEHOLDER for an entity shown; checks a placeholder gives nothing away."""
    if body["protected"]:
        assert body["caption"] == "Protected person" and NAMES[entity_id] not in text
        assert body["properties"] == {} and "1990-01-01" not in text
        return PLACEHOLDER
    assert body["caption"] == NAMES[entity_id]
    if entity_id == PUBLIC:  # H3: the restriction travels with the data
        assert f"restriction: {RESTRICTION}" in body["caveats"]
    return FULL


def _shown(service: Service, headers: dict[str, str], entity_id: str) -> str:
    answer = httpx.get(f"{service.url}/entities/{entity_id}", headers=headers)
    if answer.status_code == 403:
        return FORBIDDEN
    if answer.status_code == 404:
        return HIDDEN
    assert answer.status_code == 200, answer.text
    return _judge(entity_id, answer.json(), answer.text)


def _screened(service: Service, headers: dict[str, str], entity_id: str) -> str:
    query = {"schema": "Person", "properties": {"name": [NAMES[entity_id]]}}
    answer = httpx.post(
        f"{service.url}/screen", json=query, headers={**headers, "X-Nitka-Purpose": "test"}
    )
    if answer.status_code == 403:
        return FORBIDDEN
    assert answer.status_code == 200, answer.text
    hits = [hit for hit in answer.json()["hits"] if hit["id"] == entity_id]
    others = [hit for hit in answer.json()["hits"] if hit["id"] != entity_id]
    assert all(hit["caption"] != NAMES[entity_id] for hit in others)
    if not hits:
        assert NAMES[entity_id] not in answer.text
        return HIDDEN
    return _judge(entity_id, hits[0], answer.text)


def test_the_access_matrix_has_no_leaks_on_the_api(
    world: tuple[Service, dict[str, dict[str, str]]], engine: Engine
) -> None:
    service, headers = world
    refusals = 0
    for user, expected in EXPECTED.items():
        seen = tuple(_shown(service, headers[user], e) for e in ENTITIES)
        assert seen == expected, user
        refusals += sum(1 for s in seen if s in (HIDDEN, FORBIDDEN))
        screened = tuple(_screened(service, headers[user], e) for e in ENTITIES)
        assert screened == expected, ("screening", user)
        refusals += sum(1 for s in screened if s == FORBIDDEN)
        for entity_id, outcome in zip(ENTITIES, expected, strict=True):
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


def _cli(database_url: str, user: str, *args: str) -> Result:
    env = {"NITKA_DATABASE_URL": database_url, "NITKA_USER": user, "NITKA_PURPOSE": "test"}
    return CliRunner().invoke(app, list(args), env=env)


def test_the_access_matrix_has_no_leaks_on_the_command_line(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    _store(engine)
    for user, expected in EXPECTED.items():
        for entity_id, outcome in zip(ENTITIES, expected, strict=True):
            shown = _cli(database_url, user, "show", entity_id, "--json")
            if outcome == FORBIDDEN:
                assert shown.exit_code != 0 and "reads no case data" in shown.output
            elif outcome == HIDDEN:
                assert shown.exit_code != 0 and "no entity" in shown.output
                assert NAMES[entity_id] not in shown.output
            else:
                assert shown.exit_code == 0, shown.output
                assert _judge(entity_id, orjson.loads(shown.stdout), shown.stdout) == outcome
            found = _cli(database_url, user, "search", NAMES[entity_id], "--json")
            if outcome == FORBIDDEN:
                assert found.exit_code != 0
                continue
            ids = [row["id"] for row in orjson.loads(found.stdout)]
            assert (entity_id in ids) == (outcome == FULL), (user, entity_id)
        exported = tmp_path / f"{user}.jsonl"
        answer = _cli(database_url, user, "export", str(exported))
        if expected[0] == FORBIDDEN:
            assert answer.exit_code != 0
            continue
        # The public notice is H3 (restrictions stated with it) and every reader sees
        # it; the suspect's data is H2. Neither leaves without the provider's permission.
        said = " ".join(answer.output.split())  # the terminal wraps long lines
        assert answer.exit_code != 0 and "under H3" in said and RESTRICTION in said
        sees_h2 = expected[ENTITIES.index(SUSPECT)] == FULL
        assert ("under H2" in said) == sees_h2, user
        assert not exported.exists(), "a refused export leaves no file"
        answer = _cli(database_url, user, "export", str(exported), "--permission", "EPL-1")
        assert answer.exit_code == 0, answer.output
        text = exported.read_text(encoding="utf-8")
        lines = [orjson.loads(line) for line in text.splitlines()]
        wanted = {e for e, outcome in zip(ENTITIES, expected, strict=True) if outcome == FULL}
        assert {line["id"] for line in lines} == wanted, user
        hidden = [NAMES[e] for e in ENTITIES if e not in wanted]
        assert not [name for name in hidden if name in text], user
    with engine.connect() as conn:
        records = list(iter_records(conn))
        assert verify(conn).intact
    refusals = sum(
        1
        for user, expected in EXPECTED.items()
        for outcome in expected
        if outcome in (HIDDEN, FORBIDDEN)
    )
    refused = [r for r in records if r.outcome == "refused"]
    forbidden_users = [u for u, e in EXPECTED.items() if e[0] == FORBIDDEN]
    gated_refusals = [u for u, e in EXPECTED.items() if e[0] != FORBIDDEN]
    # show: each hidden or forbidden entity; search and export: each forbidden user's
    # attempts; export: each reader's export without permission (H3 and H2).
    expected_refusals = refusals + len(forbidden_users) * (len(ENTITIES) + 1) + len(gated_refusals)
    assert len(refused) == expected_refusals


def test_no_one_merges_or_reads_judgements_of_what_they_may_not_see(
    engine: Engine, database_url: str
) -> None:
    """Merging is a read too: an entity a user may not see cannot be merged, nor its
    judgements listed, and the answer is the same as for an entity that is not there."""
    _store(engine)
    for user, expected in EXPECTED.items():
        for entity_id, outcome in zip(ENTITIES, expected, strict=True):
            if entity_id == PUBLIC:
                continue
            merged = _cli(database_url, user, "merge", entity_id, PUBLIC, "--reason", "same")
            if outcome == FORBIDDEN:
                assert merged.exit_code != 0 and "reads no case data" in merged.output
                continue
            if outcome == HIDDEN:
                assert merged.exit_code != 0 and "no entity" in merged.output, (user, entity_id)
                assert NAMES[entity_id] not in merged.output
                listed = _cli(database_url, user, "judgements", entity_id, "--json")
                assert listed.exit_code != 0 and "no entity" in listed.output
                continue
            assert merged.exit_code == 0, (user, entity_id, merged.output)
            judgements = orjson.loads(
                _cli(database_url, user, "judgements", PUBLIC, "--json").stdout
            )
            undone = _cli(database_url, user, "unmerge", str(judgements[-1]["id"]), "--reason", "t")
            assert undone.exit_code == 0, undone.output
    with engine.connect() as conn:
        assert verify(conn).intact
        merges = [r for r in iter_records(conn) if r.action == "change" and r.outcome == "done"]
    mergeable = sum(
        1
        for expected in EXPECTED.values()
        for entity_id, outcome in zip(ENTITIES, expected, strict=True)
        if entity_id != PUBLIC and outcome in (FULL, PLACEHOLDER)
    )
    assert len([r for r in merges if '"merge"' in r.subject]) == mergeable
