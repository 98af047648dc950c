"""The app's error handlers: an explained error is a 4xx naming its field (JSON on
the API, a page under /ui/), anything else a 500 with an error id that the
server's log holds beside the traceback, never the traceback itself."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from nitka.errors import NitkaError
from nitka.settings import Settings
from nitka.web.app import create_app
from nitka.web.logs import JsonFormatter
from tests.helpers import WATCH_LISTS
from tests.web.serving import in_process, serving

SECRET = "SELECT secret FROM the_database"


class _NotThisCaseError(NitkaError):
    status = 409


@pytest.fixture
def app(listed: Engine) -> FastAPI:
    app = create_app(listed, WATCH_LISTS, Settings())

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError(SECRET)

    @app.get("/explained")
    def explained() -> None:
        raise _NotThisCaseError("the case is closed", field="case")

    @app.get("/ui/boom")
    def page_boom() -> None:
        raise RuntimeError(SECRET)

    @app.get("/ui/explained")
    def page_explained() -> None:
        raise _NotThisCaseError("the case is closed", field="case")

    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[httpx.Client]:
    with in_process(app) as client:
        yield client


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_explained_error_is_its_4xx_naming_the_field(client: httpx.Client) -> None:
    answer = client.get("/explained")
    assert answer.status_code == 409
    assert answer.json() == {"detail": {"field": "case", "error": "the case is closed"}}
    page = client.get("/ui/explained")
    assert page.status_code == 409 and page.headers["content-type"].startswith("text/html")
    assert "the case is closed" in page.text and "case" in page.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_unexpected_error_is_a_500_with_an_id_that_the_log_holds(
    client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    # The server closes a connection whose request raised: each on its own.
    close = {"Connection": "close"}
    with caplog.at_level(logging.ERROR, logger="nitka.web"):
        answer = client.get("/boom", headers=close)
        page = client.get("/ui/boom", headers=close)
    assert answer.status_code == 500
    detail = answer.json()["detail"]
    assert re.fullmatch(r"[0-9a-f]{16}", detail["error_id"])
    assert SECRET not in answer.text and "Traceback" not in answer.text
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert SECRET not in page.text and "Traceback" not in page.text
    (page_id,) = re.findall(r"[0-9a-f]{16}", page.text)
    logged = {getattr(r, "error_id", ""): r for r in caplog.records if r.exc_info}
    for error_id in (detail["error_id"], page_id):
        exc_info = logged[error_id].exc_info
        assert exc_info is not None and SECRET in str(exc_info[1])
        # The route's template is logged; the exception's text is not (nitka.web.logs).
        assert logged[error_id].__dict__["route"] in ("/boom", "/ui/boom")
        assert SECRET not in JsonFormatter().format(logged[error_id])


def test_over_http_a_failing_store_is_a_500_whose_id_is_in_the_server_log(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    """The statements' table taken away for real: an entity's page fails inside the
    store; the client sees an id, the server's log has it with the traceback."""
    with serving(listed, database_url, tmp_path) as service:
        with listed.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE statement RENAME TO statement_away")
        try:
            answer = httpx.get(f"{service.url}/entities/nobody", headers=service.officer)
        finally:
            with listed.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE statement_away RENAME TO statement")
        assert answer.status_code == 500, answer.text
        error_id = answer.json()["detail"]["error_id"]
        assert "statement" not in answer.text and "Traceback" not in answer.text
        assert answer.headers["content-type"] == "application/json"
    log = (tmp_path / "serve.log").read_text(encoding="utf-8", errors="replace")
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    (failed,) = [line for line in lines if line.get("error_id") == error_id]
    # Where it failed and under which route, for the operator; not the database's text
    # (a statement's values) nor the path's id.
    assert failed["route"] == "/entities/{entity_id}" and failed["level"] == "error"
    assert failed["exception"] and any("nitka/" in frame for frame in failed["frames"])
    assert "nobody" not in log and "statement_away" not in log
