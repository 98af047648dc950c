"""An attacker's list over real HTTP: injection, malformed input. No 5xx, no damage."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from nitka.access.audit import verify
from nitka.store.reader import count_statements
from tests.web.serving import Service, serving

INJECTIONS = [
    "'; DROP TABLE statement; --",
    "Aksyonov' OR '1'='1",
    'Aksyonov" OR 1=1 --',
    "Aksyonov) UNION SELECT * FROM account --",
    "NEAR(Sergey Aksyonov)",
    "Sergey* OR Aksyonov*",
    '"unbalanced',
    "name:Aksyonov",
    "Aksyonov AND NOT Sergey",
    "%_%",
    "\\x00\\x1a",
    "Сергій\u0000Аксьонов",
    "🙂" * 50,
    "a" * 500,
]


@pytest.fixture
def service(listed: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with serving(listed, database_url, tmp_path) as running:
        yield running


def test_search_injections_are_plain_text(service: Service, listed: Engine) -> None:
    with listed.connect() as conn:
        before = count_statements(conn)
    for payload in INJECTIONS:
        answer = httpx.get(f"{service.url}/search", params={"q": payload}, headers=service.officer)
        assert answer.status_code == 200, (payload, answer.text)
        assert isinstance(answer.json(), list)
    found = httpx.get(f"{service.url}/search", params={"q": "Aksyonov"}, headers=service.officer)
    assert found.json(), "the store still answers"
    too_long = httpx.get(f"{service.url}/search", params={"q": "a" * 501}, headers=service.officer)
    assert too_long.status_code == 422
    with listed.connect() as conn:
        assert count_statements(conn) == before
        assert verify(conn).intact


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{", "application/json"),
        (b"[]", "application/json"),
        (b"null", "application/json"),
        (b'{"schema": "Person", "properties": "not an object"}', "application/json"),
        (b'{"queries": "not a list"}', "application/json"),
        (b'{"schema": ["Person"], "properties": {"name": [1, 2]}}', "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"schema=Person", "application/x-www-form-urlencoded"),
        (
            b'{"schema": "Person", "properties": {"name": ["' + b"x" * 600 + b'"]}}',
            "application/json",
        ),
    ],
)
def test_malformed_bodies_are_client_errors(
    service: Service, body: bytes, content_type: str
) -> None:
    headers = {**service.officer, "Content-Type": content_type}
    for path in ("/screen", "/match/default"):
        answer = httpx.post(f"{service.url}{path}", content=body, headers=headers)
        assert 400 <= answer.status_code < 500, (path, body[:40], answer.status_code, answer.text)


def test_unknown_entity_ids_are_not_found_whatever_they_hold(service: Service) -> None:
    for entity_id in ("../../etc/passwd", "%2e%2e%2fnitka.db", "' OR 1=1 --", "x" * 300):
        answer = httpx.get(f"{service.url}/entities/{entity_id}", headers=service.officer)
        assert answer.status_code == 404, (entity_id, answer.status_code)


def test_no_route_takes_a_file_path_and_list_names_are_not_paths(service: Service) -> None:
    """Path traversal: the API reads and writes no file a request names."""
    schema = httpx.get(f"{service.url}/openapi.json").json()
    names = {
        parameter["name"].lower()
        for operations in schema["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
    }
    assert not names & {"path", "file", "filename", "dir", "directory", "url"}
    for listed in ("../../etc/passwd", "..%2F..%2Fnitka.db", "/etc/passwd"):
        answer = httpx.post(
            f"{service.url}/lists/{listed}/withdraw",
            json={"entity_id": "x", "reason": "probe"},
            headers=service.keeper,
        )
        assert answer.status_code == 404, (listed, answer.status_code)
