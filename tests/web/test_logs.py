"""The server's log (``nitka.web.logs``): JSON lines on standard error, one per request
under its route's template, and no personal data in any line, whatever the requests
carry (names in the query string, the body, the path; a failing store's error)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from nitka.web.logs import REDACTED, JsonFormatter
from tests.web.serving import serving

NAME = "Mykola Hrytsenko"
"""A person's name, as an officer types it: it may reach the store, never the log."""
CYRILLIC = "Микола Гриценко"
TOKENS = ("Mykola", "Hrytsenko", "Микола", "Гриценко", "Hrytsenk")


def lines_of(log: Path) -> list[dict[str, Any]]:
    text = log.read_text(encoding="utf-8", errors="replace")
    for name in TOKENS:
        assert name not in text, name
    parsed = [json.loads(line) for line in text.splitlines() if line.strip()]
    for line in parsed:
        assert {"time", "level", "logger", "event"} <= set(line), line
        assert isinstance(line["worker"], int)
    return parsed


def test_requests_carrying_a_name_leave_no_name_in_the_log(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    with serving(listed, database_url, tmp_path) as service:
        officer = service.officer
        with httpx.Client(base_url=service.url, headers=officer) as http:
            checked = http.post(
                "/screen",
                json={"schema": "Person", "properties": {"name": [NAME, CYRILLIC]}},
                headers={"X-Request-ID": "5f0c2a9e-1b7d-4e3a-9c11-0d2b7e8f6a11"},
            )
            assert checked.status_code == 200
            assert checked.headers["x-request-id"] == "5f0c2a9e-1b7d-4e3a-9c11-0d2b7e8f6a11"
            assert http.get("/search", params={"q": NAME}).status_code == 200
            assert http.get(f"/entities/{NAME}").status_code == 404
            # A purpose naming the person, and a bad batch that names them in its error.
            bad = http.post(
                "/screen",
                json={"queries": [{"schema": "Nobody", "properties": {"name": [NAME]}}]},
                headers={"X-Nitka-Purpose": f"stopped {NAME} at Chop"},
            )
            assert bad.status_code in (200, 400, 422)
            # A request id that could carry a name is replaced by the server's own.
            renamed = http.get("/livez", headers={"X-Request-ID": "Hrytsenko-Mykola"})
            assert renamed.headers["x-request-id"] != "Hrytsenko-Mykola"
            unmatched = http.get(f"/people/{NAME}/files")
            assert unmatched.status_code == 404
    lines = lines_of(tmp_path / "serve.log")
    requests = [line for line in lines if line["event"] == "request"]
    routes = {(line["method"], line["route"], line["status"]) for line in requests}
    assert ("POST", "/screen", 200) in routes
    assert ("GET", "/search", 200) in routes
    assert ("GET", "/entities/{entity_id}", 404) in routes
    assert ("GET", "/people/unmatched", 404) not in routes
    assert ("GET", "unmatched", 404) in routes
    ids = {line["request_id"] for line in requests}
    assert "5f0c2a9e-1b7d-4e3a-9c11-0d2b7e8f6a11" in ids
    for line in requests:
        assert line["duration_ms"] >= 0 and line["level"] == "info"
        assert "client" not in line, "addresses are off unless the operator turns them on"


def test_the_operator_may_log_addresses_and_quieten_request_lines(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    env = {"NITKA_LOG_ADDRESSES": "true"}
    with serving(listed, database_url, tmp_path, env=env) as service:
        assert httpx.get(f"{service.url}/livez").status_code == 200
    lines = lines_of(tmp_path / "serve.log")
    (live,) = [line for line in lines if line.get("route") == "/livez"]
    assert live["client"] == "127.0.0.1"
    quiet = tmp_path / "quiet"
    quiet.mkdir()
    with serving(listed, database_url, quiet, env={"NITKA_LOG_LEVEL": "warning"}) as service:
        assert httpx.get(f"{service.url}/livez").status_code == 200
    assert not [line for line in lines_of(quiet / "serve.log") if line["event"] == "request"]


def test_a_message_s_text_arguments_and_an_exception_s_text_are_not_written() -> None:
    """What a caller might pass to a logger: a database error whose text holds the
    statement's values (a name among them)."""
    try:
        raise IntegrityError("INSERT INTO check_log ...", {"query": NAME}, Exception(NAME))
    except IntegrityError as error:
        record = logging.LogRecord(
            "nitka.screen.recorder",
            logging.ERROR,
            __file__,
            1,
            "the check log could not be written: %s (%s, %d queries)",
            (error, NAME, 3),
            exc_info=(type(error), error, error.__traceback__),
        )
    line = json.loads(JsonFormatter().format(record))
    assert NAME not in json.dumps(line, ensure_ascii=False)
    assert (
        line["event"]
        == f"the check log could not be written: IntegrityError ({REDACTED}, 3 queries)"
    )
    assert line["exception"] == "IntegrityError"
    assert line["frames"] and "test_logs.py" in line["frames"][0]
