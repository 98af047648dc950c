"""A store set up for the exchange: our agency and a partner with keys, accounts of
every role (members of case c1 or not), a suspect and a victim in c1, a draft
about both, and a request received from the partner in c1."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.cases import add_case, add_member
from nitka.access.organisations import add_agency
from nitka.exchange.envelope import wrap
from nitka.exchange.keys import InstanceKeys, load_or_create
from nitka.exchange.kinds import Kind
from nitka.exchange.partners import add_partner
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.services import exchange as service
from nitka.services.exchange import Draft
from nitka.services.guard import transaction
from nitka.settings import Settings
from tests.helpers import make_entity, store_entities

US, THEM, CASE = "ua-ncb", "bg-thb", "c1"
SUSPECT, VICTIM = "p-suspect", "p-victim"
SUSPECT_NAME, VICTIM_NAME = "Oleh Bondar", "Марія Коваль"
INCOMING_SECRET = "the recruiter's flat in Varna"
DRAFT_SECRET = "seen with the victim at the bus station"

ACCOUNTS = {
    "analyst.in": Role.ANALYST,
    "investigator.in": Role.INVESTIGATOR,
    "investigator.out": Role.INVESTIGATOR,
    "liaison.desk": Role.LIAISON,
    "supervisor.in": Role.SUPERVISOR,
    "supervisor.two": Role.SUPERVISOR,
    "auditor.a": Role.AUDITOR,
    "admin.one": Role.ADMINISTRATOR,
}
MEMBERS = ("analyst.in", "investigator.in", "supervisor.in", "supervisor.two")


def actor(name: str) -> Actor:
    return Actor(name, ACCOUNTS[name], "u-kyiv", Proof.TOKEN, "test", "exchange test")


@dataclass
class World:
    engine: Engine
    settings: Settings
    keys: InstanceKeys
    partner_keys: InstanceKeys
    draft_id: str
    incoming_id: str


def make_world(engine: Engine, tmp_path: Path) -> World:
    # Requests from partners go to case c1 here, so that its members see them.
    settings = Settings(agency_id=US, keys_dir=str(tmp_path / "keys"), exchange_case=CASE)
    keys = load_or_create(tmp_path / "keys")
    partner_keys = load_or_create(tmp_path / "partner-keys")
    with engine.begin() as conn:
        add_agency(conn, US, "NCB Kyiv", "UA")
        add_agency(conn, THEM, "Anti-trafficking unit, Sofia", "BG")
        add_partner(conn, THEM, "http://127.0.0.1:9", partner_keys.signing_public,
                    partner_keys.encryption_public, by="setup")  # fmt: skip
        add_case(conn, CASE, by="setup")
        for name, role in ACCOUNTS.items():
            add_account(conn, name, role.value, unit_id="u-kyiv")
        for name in MEMBERS:
            add_member(conn, CASE, name, by="setup")
    in_case = Provenance("npu", case=CASE, category=DataSubjectCategory.SUSPECT)
    store_entities(engine, [make_entity("Person", SUSPECT, name=SUSPECT_NAME)], in_case)
    victim = Provenance("npu", case=CASE, category=DataSubjectCategory.VICTIM)
    store_entities(engine, [make_entity("Person", VICTIM, name=VICTIM_NAME)], victim)
    request = Draft(
        kind=Kind.REQUEST_INFORMATION,
        receiver=THEM,
        subject="Recruiter network",
        text=DRAFT_SECRET,
        entity_ids=[SUSPECT, VICTIM],
        case=CASE,
    )
    with transaction(engine) as conn:
        drafted = service.draft(conn, actor("investigator.in"), settings, request)
    body = {
        "kind": "request-information",
        "reference": "BG-1",
        "subject": "Do you know him?",
        "text": INCOMING_SECRET,
        "priority": "normal",
        "deadline": (datetime.now(UTC) + timedelta(days=2)).isoformat(),
        "statements": [],
    }
    envelope = incoming(partner_keys, keys, "in-1", body)
    with transaction(engine) as conn:
        service.receive(conn, "test", envelope, keys, settings)
    return World(engine, settings, keys, partner_keys, drafted.id, "in-1")


def incoming(
    partner_keys: InstanceKeys, keys: InstanceKeys, message_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """An envelope from the partner, signed and sealed to us."""
    return wrap(partner_keys, message_id=message_id, sender=THEM, receiver=US,
                sent_at="2026-05-01T10:00:00+00:00", body=body,
                seal_to=keys.encryption_public)  # fmt: skip
