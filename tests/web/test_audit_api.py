"""The auditor's questions over real HTTP and the CLI: only the auditor asks, and
each question about a person or user is on record."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from nitka.access.accounts import add_account, create_token
from nitka.access.audit import by_actor
from nitka.cli.main import app
from tests.web.serving import PURPOSE, Service, serving

QUERY = {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}


@pytest.fixture
def service(listed: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with serving(listed, database_url, tmp_path) as running:
        yield running


def test_the_auditor_asks_who_did_what_and_others_may_not(service: Service, listed: Engine) -> None:
    with listed.begin() as conn:
        add_account(conn, "admin.z", "administrator")
        admin = {"Authorization": f"Bearer {create_token(conn, 'admin.z')}"}
    checked = httpx.post(f"{service.url}/screen", json=QUERY, headers=service.officer)
    hit = checked.json()["hits"][0]["id"]

    verified = httpx.get(f"{service.url}/audit/verify", headers=service.auditor)
    assert verified.status_code == 200 and verified.json()["intact"]
    saw = httpx.get(f"{service.url}/audit/who-saw/{hit}", headers=service.auditor).json()
    assert [(r["actor"], r["action"]) for r in saw] == [("officer.k", "check")]
    assert saw[0]["purpose"] == PURPOSE["X-Nitka-Purpose"]
    did = httpx.get(f"{service.url}/audit/by-user/officer.k", headers=service.auditor).json()
    assert [r["action"] for r in did] == ["check"]
    paged = httpx.get(
        f"{service.url}/audit/by-user/officer.k",
        params={"after": did[0]["id"]},
        headers=service.auditor,
    )
    assert paged.json() == []

    for headers in (service.officer, service.keeper, admin):
        refused = httpx.get(f"{service.url}/audit/by-user/officer.k", headers=headers)
        assert refused.status_code == 403
    with listed.connect() as conn:
        asked = [r.as_dict()["subject"] for r in by_actor(conn, "audit.a")]
    assert {"audit": "who-saw", "entity": hit} in asked
    assert {"audit": "by-user", "user": "officer.k"} in asked
    with listed.connect() as conn:
        admin_refusals = [r for r in by_actor(conn, "admin.z") if r.outcome == "refused"]
    assert len(admin_refusals) == 1


def test_in_production_only_an_auditor_reads_the_trail_at_the_command_line(
    engine: Engine, database_url: str
) -> None:
    with engine.begin() as conn:
        add_account(conn, "auditor.q", "auditor")
        add_account(conn, "analyst.q", "analyst")
        tokens = {name: create_token(conn, name) for name in ("auditor.q", "analyst.q")}

    def invoke(user: str, *args: str) -> tuple[int, str]:
        """As the account's API token, or (no account) only named: refused in production."""
        env = {
            "NITKA_DATABASE_URL": database_url,
            "NITKA_TOKEN": tokens.get(user),
            "NITKA_USER": None if user in tokens else user,
            "NITKA_MODE": "production",
            "NITKA_SECRET_KEY": "k" * 40,
        }
        result = CliRunner().invoke(app, list(args), env=env)
        return result.exit_code, result.output

    assert invoke("auditor.q", "audit", "by-user", "analyst.q")[0] == 0
    code, output = invoke("analyst.q", "audit", "by-user", "auditor.q")
    assert code != 0 and "may not" in output
    code, output = invoke("root", "audit", "who-saw", "p-1")
    assert code != 0 and "nitka login" in output
    code, output = invoke("root", "search", "Petrenko")
    assert code != 0 and "nitka login" in output
    assert invoke("auditor.q", "audit", "verify")[0] == 0
    with engine.connect() as conn:
        asked = [r.as_dict()["subject"] for r in by_actor(conn, "auditor.q")]
        refused = [r.outcome for r in by_actor(conn, "analyst.q")]
    assert asked == [{"audit": "by-user", "user": "analyst.q"}]
    assert refused == ["refused"]
