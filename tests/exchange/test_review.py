"""Flagged messages wait for a legal decision: outgoing before approval, incoming
before anyone acts on them; the decision is on record."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from nitka.access.accounts import Account, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.audit import by_actor
from nitka.access.organisations import add_agency
from nitka.access.visibility import Viewer
from nitka.exchange.envelope import wrap
from nitka.exchange.keys import load_or_create
from nitka.exchange.kinds import Kind, Priority, Status
from nitka.exchange.messages import (
    MessageError,
    due_within,
    events_of,
    overdue,
    require_message,
)
from nitka.exchange.partners import add_partner
from nitka.exchange.receive import accept
from nitka.exchange.review import decide
from nitka.exchange.workflow import Draft, approve, draft, send, take_up
from nitka.model.statement import Provenance
from nitka.services import exchange as service
from nitka.settings import Settings
from tests.helpers import make_entity, store_entities

US, THEM = "ua-ncb", "xx-police"


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> tuple[Settings, dict[str, Account]]:
    settings = Settings(agency_id=US, keys_dir=str(tmp_path / "keys"), review_countries=["ZZ"])
    them = load_or_create(tmp_path / "their-keys")
    with engine.begin() as conn:
        add_agency(conn, US, "NCB Kyiv", "UA")
        add_agency(conn, THEM, "Police of a country under review", "ZZ")
        add_partner(conn, THEM, "http://127.0.0.1:9", them.signing_public, None, by="setup")
        accounts = {
            "officer": add_account(conn, "officer", "liaison"),
            "chief": add_account(conn, "chief", "supervisor"),
            "deputy": add_account(conn, "deputy", "supervisor"),
        }
    return settings, accounts


def test_a_flagged_outgoing_notice_is_approved_only_after_a_legal_decision(
    engine: Engine, world: tuple[Settings, dict[str, Account]]
) -> None:
    settings, who = world
    request = Draft(Kind.RED_NOTICE, THEM, "Wanted: organiser", text="Arrest for extradition")
    with engine.begin() as conn:
        made = draft(conn, who["officer"], Viewer.of(conn, who["officer"]), settings, request)
        flags = made.body["_review"]["flags"]
        assert {f["rule"] for f in flags} == {"penalty", "facts", "missing"}
        with pytest.raises(MessageError) as refused:
            approve(conn, who["chief"], made.id, settings)
        assert refused.value.field == "review" and "penalty" in str(refused.value)
        with pytest.raises(MessageError):  # the author may not decide on their own message
            decide(conn, who["officer"], made.id, cleared=True, reasoning="fine")
        # Through the service: the decision's audit record is the service layer's.
        deputy = Actor.of(who["deputy"], proof=Proof.TOKEN, origin="test")
        service.decide(conn, deputy, made.id, cleared=True, reasoning="Extradition treaty case")
        approve(conn, who["chief"], made.id, settings)
        sent = send(conn, who["officer"], made.id, load_or_create(Path(settings.keys_dir)))
        assert sent.status is Status.SENT
        steps = [e["step"] for e in events_of(conn, made.id)]
        envelope_body = require_message(conn, made.id).body
    assert steps == ["drafted", "legal decision: cleared", "approved", "sent"]
    assert "_review" in envelope_body
    with engine.connect() as conn:
        decisions = [r.as_dict()["subject"] for r in by_actor(conn, "deputy")]
    assert decisions[0]["cleared"] is True


def test_an_incoming_request_from_a_country_under_review_waits_for_a_decision(
    engine: Engine, world: tuple[Settings, dict[str, Account]], tmp_path: Path
) -> None:
    settings, who = world
    them = load_or_create(tmp_path / "their-keys")
    body = {
        "kind": "request-locate",
        "reference": "XX-1",
        "subject": "Locate a blogger",
        "priority": "urgent",
        "charges": ["Insulting a representative of the authorities"],
        "statements": [
            {"entity_id": "x-1", "schema": "Person", "prop": "name", "value": "Ivan Blogger"}
        ],
    }
    keys = load_or_create(Path(settings.keys_dir))
    envelope = wrap(them, message_id="x-m-1", sender=THEM, receiver=US, sent_at="2026-11-23",
                    body=body)  # fmt: skip
    with engine.begin() as conn:
        accept(conn, envelope, keys, settings)
    with engine.begin() as conn:
        item = require_message(conn, "x-m-1")
        rules = {f["rule"] for f in item.body["_review"]["flags"]}
        assert rules == {"political", "review-country"}
        with pytest.raises(MessageError) as refused:
            take_up(conn, who["officer"], "x-m-1")
        assert refused.value.field == "review"
        answer = Draft(Kind.ANSWER, THEM, "Re: Locate", in_reply_to="x-m-1")
        with pytest.raises(MessageError):
            draft(conn, who["officer"], Viewer.of(conn, who["officer"]), settings, answer)
        decide(conn, who["chief"], "x-m-1", cleared=False, reasoning="Art. 3: political")
        assert require_message(conn, "x-m-1").status is Status.CLOSED


def test_deadlines_follow_directive_2023_977_and_reminders_and_overdue_lists_find_them(
    engine: Engine, world: tuple[Settings, dict[str, Account]]
) -> None:
    settings, who = world
    with engine.begin() as conn:
        viewer = Viewer.of(conn, who["officer"])
        made = {
            priority: draft(
                conn,
                who["officer"],
                viewer,
                settings,
                Draft(
                    Kind.REQUEST_INFORMATION,
                    THEM,
                    f"{priority} request",
                    text="Who is it?",
                    priority=priority,
                ),
            )
            for priority in (Priority.URGENT_DIRECT, Priority.URGENT, Priority.NORMAL)
        }
        for item in made.values():
            approve(conn, who["chief"], item.id, settings)
            send(conn, who["officer"], item.id, load_or_create(Path(settings.keys_dir)))
        info = draft(conn, who["officer"], viewer, settings, Draft(Kind.SPONTANEOUS, THEM, "FYI"))
    hours = {
        p: (datetime.fromisoformat(m.deadline or "") - datetime.fromisoformat(m.created_at))
        / timedelta(hours=1)
        for p, m in made.items()
    }
    assert hours == {Priority.URGENT_DIRECT: 8, Priority.URGENT: 72, Priority.NORMAL: 168}
    assert info.deadline is None
    now = datetime.now(UTC)
    with engine.connect() as conn:
        soon = [m.id for m in due_within(conn, 9)]
        later = [m.id for m in overdue(conn, now + timedelta(days=4))]
    assert soon == [made[Priority.URGENT_DIRECT].id]
    assert sorted(later) == sorted([made[Priority.URGENT_DIRECT].id, made[Priority.URGENT].id])


def test_a_subject_matching_a_stored_journalist_across_scripts_is_flagged(
    engine: Engine, world: tuple[Settings, dict[str, Account]]
) -> None:
    settings, who = world
    store_entities(
        engine,
        [make_entity("Person", "pep-1", name="Олександр Петренко", topics="role.journo")],
        Provenance("peps"),
    )
    store_entities(engine, [make_entity("Person", "case-1", name="Oleksandr Petrenko")],
                   Provenance("npu"))  # fmt: skip
    request = Draft(Kind.REQUEST_LOCATE, THEM, "Locate", entity_ids=["case-1"])
    with engine.begin() as conn:
        viewer = Viewer.of(conn, who["officer"])
        unconfigured = draft(conn, who["officer"], viewer, settings, request)
        configured = settings.model_copy(update={"pep_datasets": ["peps"]})
        flagged = draft(conn, who["officer"], viewer, configured, request)
    assert unconfigured.body["_review"]["flags"] == []
    [flag] = flagged.body["_review"]["flags"]
    assert flag["rule"] == "protected-person"
    assert "Олександр Петренко" in flag["reason"] and "journalist" in flag["reason"]
