"""The demo's exchange (``nitka.cli.demo_exchange``): the workspace and a partner
agency's instance set up as each other's partners, and one round trip between
their running servers over real HTTP. The partner's request arrives in the
workspace's inbox with its deadline and handling code; the workspace's own
request is answered; a second run sends nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from nitka.access.accounts import create_token
from nitka.access.actor import Actor
from nitka.cli import demo_exchange as exchange
from nitka.demo import (
    DATA,
    DEMO_CASE,
    HOME_REQUEST,
    PARTNER_AGENCY,
    PARTNER_ANSWER,
    PARTNER_REQUEST,
    SAMPLES,
)
from nitka.ingest.base import ConverterOptions
from nitka.ingest.kinds import CONVERTERS
from nitka.model.grading import Grading
from nitka.model.statement import Provenance
from nitka.services import exchange as service
from nitka.services.guard import transaction
from nitka.services.ingest import ingest_file
from nitka.settings import Settings
from tests.exchange.agencies import wait_for
from tests.web.serving import free_port, serving


@pytest.fixture
def home(
    engine: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[exchange.Instance]:
    """The workspace holding the demo's money transfers (the account its request is
    about), in the demo case; the partner's store is made beside it (or, on
    PostgreSQL, in the working folder: here the test's)."""
    monkeypatch.chdir(tmp_path)
    sample = next(s for s in SAMPLES if s.kind == "transactions")
    converter = CONVERTERS[sample.kind](str(DATA / sample.file), sample.dataset, ConverterOptions())
    provenance = Provenance(
        sample.dataset, case=DEMO_CASE, grading=Grading.parse(sample.grading), seen="2026-11-01"
    )
    operator = Actor.operator("demo", origin="test")
    ingest_file(engine, operator, converter, provenance, kind=sample.kind, create_case=True)
    settings = Settings(database_url=database_url, keys_dir=str(tmp_path / "home-keys"))
    yield exchange.home_instance(engine, settings, "127.0.0.1", free_port())


def _token(instance: exchange.Instance, name: str) -> dict[str, str]:
    with instance.engine.begin() as conn:
        token = create_token(conn, name)
    return {"Authorization": f"Bearer {token}", "X-Nitka-Purpose": "demo test"}


def _references(instance: exchange.Instance) -> list[str]:
    with transaction(instance.engine) as conn:
        return sorted(m.reference for m in service.list_messages(conn, instance.operator()))


def test_the_partners_request_arrives_in_the_workspaces_inbox_with_its_deadline(
    home: exchange.Instance, tmp_path: Path
) -> None:
    partner_port = free_port()
    partner = exchange.partner_instance(home.settings, "127.0.0.1", partner_port)
    log = exchange.partner_paths(home.settings.database_url)[2]
    beside = Path(str(make_url(partner.settings.database_url).database)).resolve()
    assert beside == (tmp_path / "nitka-partner.db").resolve()
    wanted = sorted([HOME_REQUEST.reference, PARTNER_ANSWER.reference,
                     PARTNER_REQUEST.reference])  # fmt: skip
    try:
        exchange.set_up(home, partner)
        exchange.set_up(partner, home)
        with exchange.partner_server(partner, partner_port, "127.0.0.1", log):
            exchange.round_trip(home, partner)
            port = int(home.address.rsplit(":", 1)[1])
            env = {"NITKA_AGENCY_ID": home.agency.id, "NITKA_KEYS_DIR": home.settings.keys_dir}
            with serving(home.engine, home.settings.database_url, tmp_path, lists=(),
                         port=port, env=env):  # fmt: skip
                _the_round_trip_arrived(home)
        assert _references(home) == _references(partner) == wanted
        # A second run (the servers are not needed: nothing is left to send).
        exchange.set_up(home, partner)
        exchange.set_up(partner, home)
        assert exchange.round_trip(home, partner) == []
        assert _references(home) == _references(partner) == wanted
        with transaction(home.engine) as conn:
            partners = service.list_partners(conn, home.operator())
        assert [p.agency_id for p in partners] == [PARTNER_AGENCY.id]
    finally:
        partner.engine.dispose()


def _the_round_trip_arrived(home: exchange.Instance) -> None:
    """Over the workspace's API, as its investigator: the partner's request in the
    inbox with its deadline and H2, and the workspace's own request answered."""
    headers = _token(home, "demo.investigator")

    def listed(direction: str) -> list[dict[str, str]]:
        answer = httpx.get(f"{home.address}/exchange/messages",
                           params={"direction": direction}, headers=headers)  # fmt: skip
        assert answer.status_code == 200, answer.text
        found: list[dict[str, str]] = answer.json()
        return found

    def both_in() -> list[dict[str, str]]:
        found = listed("in")
        return found if len(found) == 2 else []

    arrived = {m["reference"]: m for m in wait_for(both_in, 60)}
    request = arrived[PARTNER_REQUEST.reference]
    assert request["sender"] == PARTNER_AGENCY.id and request["kind"] == PARTNER_REQUEST.kind
    assert request["status"] == "received" and request["deadline"]
    assert request["subject"] == PARTNER_REQUEST.subject
    shown = httpx.get(f"{home.address}/exchange/messages/{request['id']}", headers=headers)
    assert shown.json()["body"]["handling"] == "H2"
    assert PARTNER_ANSWER.reference in arrived
    asked = [(m["reference"], m["status"], m["case"]) for m in listed("out")]
    assert asked == [(HOME_REQUEST.reference, "answered", DEMO_CASE)]
