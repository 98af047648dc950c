"""Two agencies, each with its own store, keys and running ``nitka serve``: the NCB
in Kyiv and the anti-trafficking unit in Sofia, partners of each other."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from nitka.access.accounts import add_account, create_token
from nitka.access.cases import add_case, add_member
from nitka.access.organisations import add_agency
from nitka.exchange.keys import load_or_create
from nitka.exchange.partners import add_partner
from tests.web.serving import Service, free_port, serving

KYIV, SOFIA = "ua-ncb", "bg-thb"


@dataclass
class Agency:
    """One agency's instance: its store, its address, its users' headers."""

    agency_id: str
    engine: Engine
    database_url: str
    keys_dir: Path
    port: int
    users: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {"NITKA_AGENCY_ID": self.agency_id, "NITKA_KEYS_DIR": str(self.keys_dir)}

    def post(self, user: str, path: str, json: Any = None) -> httpx.Response:
        return httpx.post(f"{self.url}{path}", json=json or {}, headers=self.users[user])

    def get(self, user: str, path: str, **params: Any) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", params=params, headers=self.users[user])

    @contextmanager
    def running(self, tmp_path: Path) -> Iterator[Service]:
        log_dir = tmp_path / self.agency_id
        log_dir.mkdir(exist_ok=True)
        with serving(
            self.engine, self.database_url, log_dir, lists=(), port=self.port, env=self.env
        ) as service:
            yield service


def make_agency(
    agency_id: str, engine: Engine, database_url: str, tmp_path: Path, case: str
) -> Agency:
    agency = Agency(agency_id, engine, database_url, tmp_path / f"{agency_id}-keys", free_port())
    load_or_create(agency.keys_dir)
    prefix = agency_id.split("-")[0]
    with engine.begin() as conn:
        add_agency(conn, KYIV, "National Central Bureau of INTERPOL, Kyiv", "UA")
        add_agency(conn, SOFIA, "National anti-trafficking unit, Sofia", "BG")
        add_case(conn, case, by="setup")
        for name, role in (("officer", "liaison"), ("supervisor", "supervisor")):
            user = f"{prefix}.{name}"
            add_account(conn, user, role, unit_id=f"{prefix}-unit")
            add_member(conn, case, user, by="setup")
            agency.users[user] = {
                "Authorization": f"Bearer {create_token(conn, user)}",
                "X-Nitka-Purpose": "exchange test",
            }
    return agency


def make_partners(first: Agency, second: Agency) -> None:
    for here, there in ((first, second), (second, first)):
        keys = load_or_create(there.keys_dir)
        with here.engine.begin() as conn:
            add_partner(
                conn,
                there.agency_id,
                there.url,
                keys.signing_public,
                keys.encryption_public,
                by="setup",
            )


def send_through(agency: Agency, payload: dict[str, Any]) -> str:
    """Draft as the officer, approve as the supervisor, send; returns the message id."""
    prefix = agency.agency_id.split("-")[0]
    drafted = agency.post(f"{prefix}.officer", "/exchange/messages", payload)
    assert drafted.status_code == 200, drafted.text
    message_id = str(drafted.json()["id"])
    approved = agency.post(f"{prefix}.supervisor", f"/exchange/messages/{message_id}/approve")
    assert approved.status_code == 200, approved.text
    sent = agency.post(f"{prefix}.officer", f"/exchange/messages/{message_id}/send")
    assert sent.status_code == 200, sent.text
    return message_id


def wait_for(condition: Any, seconds: float = 30.0) -> Any:
    """Poll until ``condition()`` is true; returns its value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting")
